using Microsoft.Extensions.Logging;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.L1;
using Rollup.Bridge.Validation;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// What the validator's challenger does with disagreements a game cannot decide, without an L1 (no move is made, so
/// none is sent): each is named with its reason, and no game is started for it.
/// </summary>
public class ChallengeRunnerTests
{
    private static readonly DomainId Market = DomainId.OfMarket(3);

    [Theory]
    [InlineData("steps", "the posted claim ends in our trace's end after 8 steps, ours 6: its end is right, only its count is not")]
    [InlineData("start", "but this node has no accounts trace of the batch before")]
    [InlineData("missing", "the batch posts no claim of it, and this node has no accounts end state of the batch")]
    [InlineData("ours missing", "this validator makes no claim of it")]
    public async Task A_disagreement_a_game_cannot_decide_is_named_and_not_played(string how, string reason)
    {
        var ours = new DomainClaim(H("start"), H("end"), 6);
        DomainClaim? posted = how switch
        {
            "steps" => ours with { Steps = 8 },
            "start" => ours with { Start = H("other start"), End = H("other end") },
            "missing" => null,
            _ => ours with { End = H("other end") },
        };
        var report = new ValidationReport(7, 10, 12, ["the market 3 domain's claim differs"], [])
        {
            DisputedClaims = [new ClaimDisagreement(Market, posted, how == "ours missing" ? null : ours)],
        };
        var logs = new CapturedLogs(LogLevel.Information);
        using var l1 = new L1Client(new Uri("http://127.0.0.1:9")); // never called: nothing here is playable
        var runner = new ChallengeRunner(new DisputeGameClient(l1, Address.Zero), new OneBatch(report.BatchIndex, posted), new OurTraces(ours), () => report, logs.CreateLogger("validator"));

        await runner.PlayRoundAsync(default);
        await runner.PlayRoundAsync(default);

        Assert.Empty(runner.Games);
        Assert.Equal(0, runner.MovesMade);
        var said = Assert.Single(logs.Entries, e => e.Message.Contains("cannot be played", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, said.Level);
        Assert.Contains($"batch 7 market 3: the disagreement cannot be played: ", said.Message, StringComparison.Ordinal);
        Assert.Contains(reason, said.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_disagreement_no_round()
    {
        var logs = new CapturedLogs(LogLevel.Debug);
        using var l1 = new L1Client(new Uri("http://127.0.0.1:9"));
        var runner = new ChallengeRunner(new DisputeGameClient(l1, Address.Zero), new OneBatch(0, null), new OurTraces(default), () => null, logs.CreateLogger("validator"));
        await runner.PlayRoundAsync(default);
        Assert.Empty(runner.Games);
        Assert.Empty(logs.Entries);
    }

    private static Hash256 H(string text) => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>L1 with committed batches up to <c>index</c>, each claiming <c>posted</c> for the market (and the accounts domain).</summary>
    private sealed class OneBatch(ulong index, DomainClaim? posted) : IBatchSource
    {
        public Task<CommittedBatch?> GetCommittedBatchAsync(ulong batchIndex, CancellationToken cancellation)
        {
            var claims = new List<(DomainId, DomainClaim)> { (DomainId.Accounts, new DomainClaim(H("a"), H("b"), 1)) };
            if (posted is { } claim)
            {
                claims.Add((Market, claim));
            }
            var commitment = new BatchCommitment(index, 10, 12, default, default, default, default, default, 0, 0, 0, default, default, BatchClaimsRoot.Compute(claims));
            return Task.FromResult<CommittedBatch?>(batchIndex <= index ? new CommittedBatch(commitment with { BatchIndex = batchIndex }, claims, [], 1) : null);
        }

        public Task<ulong> GetCommittedBatchCountAsync(CancellationToken cancellation) => Task.FromResult(index + 1);

        public Task<(Address L2Account, ulong Amount)?> GetQueuedDepositAsync(ulong index, CancellationToken cancellation) =>
            Task.FromResult<(Address, ulong)?>(null);
    }

    /// <summary>The validator's own traces: the market's with <c>ours</c> as its claim.</summary>
    private sealed class OurTraces(DomainClaim ours) : IBatchTraceSource
    {
        public IReadOnlyDictionary<DomainId, DomainTrace> TracesOf(CommittedBatch batch)
        {
            var hashes = new List<Hash256> { ours.Start };
            for (var i = 1UL; i < ours.Steps; i++)
            {
                hashes.Add(H($"step {i}"));
            }
            hashes.Add(ours.End);
            return new Dictionary<DomainId, DomainTrace> { [Market] = new DomainTrace(Market, hashes, (_, _) => throw new InvalidOperationException("no proof is asked for")) };
        }
    }
}
