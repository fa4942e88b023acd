using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Disputes;

/// <summary>The proof of one step as a domain's prover takes it, with the state hashes it proves before and after.</summary>
public sealed record StepProof(Hash256 Pre, Hash256 Post, byte[] Bytes);

/// <summary>
/// One domain's trace of one batch as the players of a game need it: the state hash after each step index
/// 0..<see cref="Steps"/> (0: the claim's start) and the one-step proof of step i. A proof is built against the
/// batch's claims as they stand on L1 (<see cref="StandingClaims"/>), as the provers check the claims it carries.
/// </summary>
public sealed class DomainTrace
{
    private readonly IReadOnlyList<Hash256> _hashes;
    private readonly Func<ulong, StandingClaims, StepProof> _prove;
    private readonly ulong _provable;
    private readonly Func<uint, MerkleProof>? _registry;

    /// <param name="hashes">The state hash at every step index, the start first.</param>
    /// <param name="prove">The proof of step i (from the state at index i to i + 1) against the batch's standing claims.</param>
    /// <param name="endWords">The end state's ABI words (its hash is the last of <paramref name="hashes"/>), if known.</param>
    /// <param name="registry">For the accounts domain: a market's path in the registry at the trace's end.</param>
    public DomainTrace(
        DomainId domain, IReadOnlyList<Hash256> hashes, Func<ulong, StandingClaims, StepProof> prove, byte[]? endWords = null, Func<uint, MerkleProof>? registry = null)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(prove);
        if (hashes.Count == 0)
        {
            throw new ArgumentException("a trace holds at least its start", nameof(hashes));
        }
        if (endWords is not null && Keccak256.Compute(endWords) != hashes[^1])
        {
            throw new ArgumentException("the end words are not the trace's end state", nameof(endWords));
        }
        Domain = domain;
        _hashes = hashes;
        _prove = prove;
        _provable = Steps;
        EndWords = endWords;
        _registry = registry;
    }

    private DomainTrace(DomainId domain, IReadOnlyList<Hash256> hashes, Func<ulong, StandingClaims, StepProof> prove, ulong provable)
        : this(domain, hashes, prove) => _provable = provable;

    public DomainId Domain { get; }

    public ulong Steps => (ulong)_hashes.Count - 1;

    /// <summary>
    /// The end state opened as its ABI words (17 for the accounts domain, 20 for a market: docs/steps.md), what the next
    /// batch's claim must start from; null for a trace of hashes alone (a fitted or a made-up one).
    /// </summary>
    public byte[]? EndWords { get; }

    /// <summary>
    /// For the accounts domain's trace: market <paramref name="market"/>'s path in the registry at the trace's end (its
    /// leaf if registered there, else where its key's path ends); null for another domain or a trace of hashes alone.
    /// </summary>
    public MerkleProof? RegistryProof(uint market) => _registry?.Invoke(market);

    /// <summary>This trace's claim: its start, its end and the steps between.</summary>
    public DomainClaim Claim => new(_hashes[0], _hashes[^1], Steps);

    /// <summary>
    /// This trace fitted to a claim of <paramref name="steps"/> steps, to play a game over a claim whose count is not
    /// ours: cut to its first <paramref name="steps"/> steps, or held at its end past it (no step follows a trace's
    /// end, so a defender who claims more steps than there are can prove none of them and loses on its clock).
    /// </summary>
    public DomainTrace Fitted(ulong steps)
    {
        if (steps == Steps)
        {
            return this;
        }
        var hashes = new List<Hash256>((int)Math.Min(steps + 1, int.MaxValue));
        for (var i = 0UL; i <= steps; i++)
        {
            hashes.Add(_hashes[(int)Math.Min(i, Steps)]);
        }
        return new DomainTrace(Domain, hashes, _prove, Math.Min(_provable, steps));
    }

    /// <summary>Whether step <paramref name="step"/> has a proof: false past the end a fitted trace is held at.</summary>
    public bool CanProve(ulong step) => step < _provable;

    /// <summary>The state hash after step index <paramref name="index"/> (0: the start).</summary>
    public Hash256 HashAt(ulong index) => index <= Steps
        ? _hashes[(int)index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"{Domain}'s trace has {Steps} steps");

    /// <summary>The proof of step <paramref name="step"/>, against the claims the batch was committed with, none re-posted.</summary>
    public StepProof ProofOf(ulong step, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims) =>
        ProofOf(step, StandingClaims.AsCommitted(claims));

    /// <summary>The proof of step <paramref name="step"/>, against the batch's claims as they stand on L1.</summary>
    public StepProof ProofOf(ulong step, StandingClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return step < _provable
            ? _prove(step, claims)
            : throw new ArgumentOutOfRangeException(nameof(step), step, $"{Domain}'s trace has {Steps} steps");
    }

    /// <summary>
    /// A market's trace; its steps are proven against the batch's accounts claim, which must be this batch's true one
    /// (<paramref name="accounts"/>'s): a market step reads the routed messages that claim's outbox root stands for.
    /// </summary>
    public static DomainTrace OfMarket(MarketTrace trace, AccountsTrace accounts)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(accounts);
        var domain = DomainId.OfMarket(trace.Start.Market);
        return new DomainTrace(domain, [trace.Start.Hash(), .. trace.Steps.Select(s => s.Post.Hash())], (i, claims) =>
        {
            var step = trace.Steps[(int)i];
            var ours = Claimed(accounts);
            var posted = claims.ClaimOf(DomainId.Accounts);
            if (posted != ours)
            {
                throw new InvalidOperationException(
                    $"{domain}'s step {i} cannot be proven: the batch's accounts claim {posted} is not ours {ours}, and a market step is judged against it (the accounts game decides that one)");
            }
            var claim = new AccountsOutboxClaim(ours.Start, accounts.End, ours.Steps, claims.SiblingsOf(DomainId.Accounts));
            return new StepProof(step.Pre.Hash(), step.Post.Hash(), MarketOneStepProof.Encode(step.Pre, step.Witness, claim));
        }, trace.End.AbiEncode());
    }

    /// <summary>
    /// The accounts domain's trace; a Reply step is proven with the claims of those <paramref name="markets"/> whose
    /// claim as it stands on L1 is ours (a market's replies are read from its claimed end's outbox).
    /// </summary>
    /// <param name="registry">A market's path in the registry at the trace's end (<see cref="AccountsTraceBuilder.RegistryProof"/>).</param>
    public static DomainTrace OfAccounts(AccountsTrace trace, IReadOnlyDictionary<uint, MarketTrace> markets, Func<uint, MerkleProof>? registry = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(markets);
        return new DomainTrace(DomainId.Accounts, [trace.Start.Hash(), .. trace.Steps.Select(s => s.Post.Hash())], (i, claims) =>
        {
            var step = trace.Steps[(int)i];
            var outboxes = new List<MarketOutboxClaim>();
            if (step.Kind == AccountsStepKind.Reply)
            {
                foreach (var (market, marketTrace) in markets)
                {
                    var ours = Claimed(marketTrace);
                    if (claims.ClaimOf(DomainId.OfMarket(market)) == ours)
                    {
                        var siblings = claims.SiblingsOf(DomainId.OfMarket(market));
                        outboxes.Add(new MarketOutboxClaim(market, ours.Start, marketTrace.End, ours.Steps, siblings));
                    }
                }
            }
            return new StepProof(step.Pre.Hash(), step.Post.Hash(), AccountsOneStepProof.Encode(step.Pre, step.Witness, outboxes));
        }, trace.End.AbiEncode(), registry);
    }

    private static DomainClaim Claimed(AccountsTrace t) => new(t.Start.Hash(), t.End.Hash(), (ulong)t.Steps.Count);

    private static DomainClaim Claimed(MarketTrace t) => new(t.Start.Hash(), t.End.Hash(), (ulong)t.Steps.Count);

}
