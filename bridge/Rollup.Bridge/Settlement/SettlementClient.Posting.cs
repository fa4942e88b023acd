using Rollup.Bridge.Batches;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>What the batch poster reads and writes.</summary>
public sealed partial class SettlementClient
{
    /// <summary>The contract's state for the poster, every view read at the same L1 block.</summary>
    public async Task<SettlementStatus> GetStatusAsync(CancellationToken cancellation)
    {
        var block = await PinnedBlockAsync(cancellation).ConfigureAwait(false);
        var next = await CallAsync<ulong>("nextBatchIndex", block, cancellation).ConfigureAwait(false);
        var nextBlock = await CallAsync<ulong>("nextL2Block", block, cancellation).ConfigureAwait(false);
        var nextSequence = await CallAsync<ulong>("nextSequence", block, cancellation).ConfigureAwait(false);
        var root = await CallAsync<byte[]>("lastStateRoot", block, cancellation).ConfigureAwait(false);
        var pending = await CallOutputAsync<PendingBatchDataOutput>("pendingBatchData", block, cancellation).ConfigureAwait(false);
        var frozen = await CallAsync<bool>("frozen", block, cancellation).ConfigureAwait(false);
        return new SettlementStatus(next, nextBlock, nextSequence, new Hash256(root), pending.Parts, new Hash256(pending.Accumulator), frozen);
    }

    public Task PostPartAsync(ulong batchIndex, uint part, ReadOnlyMemory<byte> data, CancellationToken cancellation) =>
        TransactAsync(Artifact.EncodeCall("postBatchData", batchIndex, part, data.ToArray()), cancellation);

    /// <summary>All the parts sent at once with consecutive nonces, so a batch of many parts costs about one L1 block, not one each.</summary>
    public async Task PostPartsAsync(ulong batchIndex, uint firstPart, IReadOnlyList<ReadOnlyMemory<byte>> parts, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var calls = parts.Select((part, i) => Artifact.EncodeCall("postBatchData", batchIndex, firstPart + (uint)i, part.ToArray())).ToList();
        await Transactor.SendInOrderAsync(Contract, calls, cancellation).ConfigureAwait(false);
    }

    public Task DiscardPendingAsync(CancellationToken cancellation) =>
        TransactAsync(Artifact.EncodeCall("discardBatchData"), cancellation);

    public Task CommitAsync(BatchCommitment commitment, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        ArgumentNullException.ThrowIfNull(claims);
        object[] tuple =
        [
            commitment.BatchIndex, commitment.FirstBlock, commitment.LastBlock, commitment.BatchDataHash.ToArray(), commitment.PrevStateRoot.ToArray(),
            commitment.NewStateRoot.ToArray(), commitment.MarketRootsRoot.ToArray(), commitment.WithdrawalsRoot.ToArray(), commitment.DepositCursor,
            commitment.FirstSequence, commitment.TxCount, commitment.TxRoot.ToArray(), commitment.BlocksRoot.ToArray(),
            commitment.ClaimsRoot.ToArray(),
        ];
        return TransactAsync(Artifact.EncodeCall("commitBatch", new object[] { tuple, ClaimTuples(claims) }), cancellation);
    }

    /// <summary>The claims as commitBatch takes them: (kind, market, start, end, steps) tuples in ascending key order.</summary>
    private static List<object[]> ClaimTuples(IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims)
    {
        var ordered = claims.OrderBy(c => c.Domain.Key()).ToList();
        var tuples = new List<object[]>(ordered.Count);
        foreach (var (domain, claim) in ordered)
        {
            tuples.Add([domain.Kind, domain.Market, claim.Start.ToArray(), claim.End.ToArray(), claim.Steps]);
        }
        return tuples;
    }
}
