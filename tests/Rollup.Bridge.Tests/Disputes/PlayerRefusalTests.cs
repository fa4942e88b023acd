using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.L1;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// What the players refuse before they touch L1: a trace that cannot play the claim's game. No node is reached (the
/// client points at a closed port), so a refusal here is the constructor's own.
/// </summary>
public sealed class PlayerRefusalTests : IDisposable
{
    private static readonly DomainId Market = DomainId.OfMarket(7);
    private readonly L1Client _l1 = new(new Uri("http://127.0.0.1:9"));
    private readonly DisputeGameClient _game;

    public PlayerRefusalTests()
    {
        var key = AnvilProcess.DevKey(2);
        _game = new DisputeGameClient(_l1, Address.Parse("0x00000000000000000000000000000000000000aa"), new TransactionSender(_l1, key, AnvilProcess.DefaultChainId));
    }

    [Fact]
    public void Challenger_TraceWithAnotherStepCount_Refused()
    {
        var posted = Trace(4, "posted").Claim;
        var ours = Trace(5, "ours");
        var error = Assert.Throws<ArgumentException>(() => new Challenger(_game, Claimed(posted), ours, NullLogger.Instance));
        Assert.Contains("disputes only the end", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Challenger_PostedEndIsItsOwn_Refused()
    {
        var ours = Trace(4, "ours");
        var error = Assert.Throws<ArgumentException>(() => new Challenger(_game, Claimed(ours.Claim), ours, NullLogger.Instance));
        Assert.Contains("nothing to dispute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Challenger_AnotherDomainsTrace_Refused()
    {
        var posted = Trace(4, "posted").Claim;
        var accounts = new DomainTrace(DomainId.Accounts, Hashes(4, "ours"), NoProof);
        Assert.Throws<ArgumentException>(() => new Challenger(_game, Claimed(posted), accounts, NullLogger.Instance));
    }

    [Fact]
    public void Defender_TraceNotThePostedClaim_Refused()
    {
        var posted = Trace(4, "posted").Claim;
        Assert.Throws<ArgumentException>(() => new Defender(_game, Hash256.Zero, Claimed(posted), Trace(4, "ours"), NullLogger.Instance));
    }

    [Fact]
    public void DomainTrace_ProofPastItsLastStep_Refused()
    {
        var trace = Trace(4, "ours");
        Assert.Throws<ArgumentOutOfRangeException>(() => trace.ProofOf(4, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => trace.HashAt(5));
    }

    [Fact]
    public void DisputedClaim_DomainTheBatchDoesNotClaim_Refused()
    {
        IReadOnlyList<(DomainId, DomainClaim)> claims = [(DomainId.Accounts, Trace(2, "accounts").Claim)];
        Assert.Throws<ArgumentException>(() => DisputedClaim.Of(0, claims, Market));
    }

    public void Dispose() => _l1.Dispose();

    /// <summary>A market trace of <paramref name="steps"/> steps from one shared start, its later hashes its own.</summary>
    private static DomainTrace Trace(int steps, string tag) => new(Market, Hashes(steps, tag), NoProof);

    private static List<Hash256> Hashes(int steps, string tag) =>
        [Keccak256.Compute("start"u8), .. Enumerable.Range(1, steps).Select(i => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes($"{tag} {i}")))];

    private static StepProof NoProof(ulong step, StandingClaims claims) =>
        throw new InvalidOperationException("no proof in these tests");

    private static DisputedClaim Claimed(DomainClaim posted)
    {
        IReadOnlyList<(DomainId, DomainClaim)> claims = [(DomainId.Accounts, new DomainClaim(Hash256.Zero, Keccak256.Compute("accounts"u8), 1)), (Market, posted)];
        return DisputedClaim.Of(0, claims, Market);
    }
}
