using System.Text;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Validation;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Node.Tests.Disputes;

/// <summary>
/// The test harness of a dishonest sequencer (never a node's flag): it executes everything honestly, then lies about
/// one domain of one batch from a chosen step on. Its poster commits the lie's end for that domain (the claims root
/// made anew, so L1 takes it), and its defender plays the lie: its trace is the truth up to the step, then every hash
/// another one, each step still proven as the truth is (so the verifier, asked, reaches the truth). Or, made with
/// <see cref="StartOf"/> or <see cref="Omitting"/>, it lies about the claim's start alone, or leaves the claim out (no
/// game plays either, so its defender plays nothing).
/// </summary>
internal sealed class DishonestSequencer(ulong batchIndex, DomainId domain, Func<ulong, ulong> lieFromStep, DishonestSequencer.Kind kind = DishonestSequencer.Kind.End)
{
    public enum Kind
    {
        End,
        Start,
        Omitted,
        Steps,
        Extra,
    }

    /// <summary>A sequencer that posts the domain's claim of the batch with <see cref="Lie"/> of its true start, its end true.</summary>
    public static DishonestSequencer StartOf(ulong batchIndex, DomainId domain) => new(batchIndex, domain, _ => 0, Kind.Start);

    /// <summary>A sequencer that commits the batch without the domain's claim (the claims root made of the others).</summary>
    public static DishonestSequencer Omitting(ulong batchIndex, DomainId domain) => new(batchIndex, domain, _ => 0, Kind.Omitted);

    /// <summary>A sequencer that posts the domain's true start and end with five steps more than its trace has.</summary>
    public static DishonestSequencer StepsOf(ulong batchIndex, DomainId domain) => new(batchIndex, domain, _ => 0, Kind.Steps);

    /// <summary>A sequencer that adds a made-up claim of <paramref name="domain"/>, a market the chain never registered.</summary>
    public static DishonestSequencer Adding(ulong batchIndex, DomainId domain) => new(batchIndex, domain, _ => 0, Kind.Extra);

    private readonly Kind _kind = kind;

    public ulong BatchIndex => batchIndex;

    public DomainId Domain => domain;

    /// <summary>The hash the lie has in place of <paramref name="truth"/>.</summary>
    public static Hash256 Lie(Hash256 truth) => Keccak256.Compute([.. truth.ToArray(), .. Encoding.ASCII.GetBytes("a lie")]);

    /// <summary>The poster's sink, committing the lie's end for the domain of the batch.</summary>
    public IBatchSink Sink(IBatchSink honest) => new LyingSink(this, honest);

    /// <summary>The defender's traces, with the lie for the domain of the batch.</summary>
    public IBatchTraceSource Traces(IBatchTraceSource honest) => new LyingTraces(this, honest);

    /// <summary>The lie of a trace: the truth up to the step the lie starts after, then <see cref="Lie"/> of each hash.</summary>
    public DomainTrace LieOf(DomainTrace truth)
    {
        var k = lieFromStep(truth.Steps);
        var hashes = new List<Hash256>();
        for (var i = 0UL; i <= truth.Steps; i++)
        {
            hashes.Add(i <= k ? truth.HashAt(i) : Lie(truth.HashAt(i)));
        }
        return new DomainTrace(truth.Domain, hashes, truth.ProofOf);
    }

    private sealed class LyingSink(DishonestSequencer lie, IBatchSink honest) : IBatchSink
    {
        public Task<SettlementStatus> GetStatusAsync(CancellationToken cancellation) => honest.GetStatusAsync(cancellation);

        public Task PostPartAsync(ulong batchIndex, uint part, ReadOnlyMemory<byte> data, CancellationToken cancellation) =>
            honest.PostPartAsync(batchIndex, part, data, cancellation);

        public Task PostPartsAsync(ulong batchIndex, uint firstPart, IReadOnlyList<ReadOnlyMemory<byte>> parts, CancellationToken cancellation) =>
            honest.PostPartsAsync(batchIndex, firstPart, parts, cancellation);

        public Task DiscardPendingAsync(CancellationToken cancellation) => honest.DiscardPendingAsync(cancellation);

        public Task CommitAsync(BatchCommitment commitment, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims, CancellationToken cancellation)
        {
            if (commitment.BatchIndex != lie.BatchIndex)
            {
                return honest.CommitAsync(commitment, claims, cancellation);
            }
            var lied = claims.Where(c => c.Domain != lie.Domain || lie._kind != Kind.Omitted).Select(c => c.Domain != lie.Domain ? c
                : lie._kind == Kind.Start ? (c.Domain, c.Claim with { Start = Lie(c.Claim.Start) })
                : lie._kind == Kind.Steps ? (c.Domain, c.Claim with { Steps = c.Claim.Steps + 5 })
                : (c.Domain, c.Claim with { End = Lie(c.Claim.End) })).ToList();
            if (lie._kind == Kind.Extra)
            {
                lied.Add((lie.Domain, new DomainClaim(Lie(Hash256.Zero), Lie(Lie(Hash256.Zero)), 3)));
            }
            Assert.NotEqual(claims, lied);
            return honest.CommitAsync(commitment with { ClaimsRoot = BatchClaimsRoot.Compute(lied) }, lied, cancellation);
        }
    }

    private sealed class LyingTraces(DishonestSequencer lie, IBatchTraceSource honest) : IBatchTraceSource
    {
        public IReadOnlyDictionary<DomainId, DomainTrace> TracesOf(CommittedBatch batch)
        {
            var traces = honest.TracesOf(batch);
            if (batch.Commitment.BatchIndex != lie.BatchIndex || lie._kind != Kind.End)
            {
                return traces;
            }
            var lied = new Dictionary<DomainId, DomainTrace>(traces);
            lied[lie.Domain] = lie.LieOf(traces[lie.Domain]);
            return lied;
        }
    }
}
