using Rollup.Execution.Blocks;
using Rollup.Execution.State.Proofs;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;
using Rollup.Primitives.Compression;

namespace Rollup.Bridge.Batches;

/// <summary>
/// Turns executed blocks into a batch and its commitment. Deterministic: the same blocks, index, first sequence,
/// previous root and accounts state, codec and part size always give the same bytes, so a poster that restarts posts
/// the same parts again.
/// </summary>
public static class BatchAssembler
{
    /// <param name="firstSequence">The sequence number of the first block's first transaction (the contract's <c>nextSequence()</c>).</param>
    /// <param name="accountsStart">The accounts domain's lasting state after the block before the first, which its claim starts from.</param>
    /// <param name="marketStart">Every market's trees after that block, which their claims are traced from; null claims the accounts domain alone.</param>
    public static PreparedBatch Assemble(
        ulong batchIndex,
        ulong firstSequence,
        in Hash256 prevStateRoot,
        AccountsDomainState accountsStart,
        IReadOnlyDictionary<uint, MarketDomainTrees>? marketStart,
        IReadOnlyList<BlockRecord> records,
        CompressionCodecId codec,
        int maxPartBytes = BatchParts.DefaultMaxPartBytes)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("a batch carries at least one block", nameof(records));
        }
        var blocks = new Block[records.Count];
        var marketRoots = new SortedDictionary<uint, Hash256>();
        for (var i = 0; i < records.Count; i++)
        {
            blocks[i] = records[i].Block;
            foreach (var root in records[i].MarketRoots)
            {
                marketRoots[root.Market] = root.Root;
            }
        }
        var claimed = new List<MarketRoot>(marketRoots.Count);
        foreach (var (market, root) in marketRoots)
        {
            claimed.Add(new MarketRoot(market, root));
        }
        var batch = new L2Batch(blocks, claimed);
        var frame = BatchFrame.Encode(batch, codec);
        var parts = BatchParts.Split(frame, maxPartBytes);
        var withdrawals = BlockWithdrawals.Of(records);
        var last = records[^1];
        var claims = BatchClaims.Of(accountsStart, marketStart, firstSequence, records);
        var commitment = new BatchCommitment(
            batchIndex,
            batch.FirstBlock,
            batch.LastBlock,
            BatchParts.DataHash(parts),
            prevStateRoot,
            last.StateRoot,
            last.MarketsRoot,
            ExecutionEngine.WithdrawalsRoot(withdrawals),
            last.NextDepositIndex,
            firstSequence,
            (ulong)batch.TransactionCount,
            BatchTransactionRoot.Compute(firstSequence, blocks),
            BatchBlocksRoot.Compute(firstSequence, blocks),
            BatchClaimsRoot.Compute(claims));
        return new PreparedBatch(commitment, claims, batch, frame, parts, withdrawals);
    }

    /// <summary>The proof L1's <c>claimWithdrawal</c> takes for one withdrawal of a batch.</summary>
    public static WithdrawalProof ProveWithdrawal(IReadOnlyList<Withdrawal> batchWithdrawals, ulong blockNumber, int txIndex)
    {
        ArgumentNullException.ThrowIfNull(batchWithdrawals);
        for (var i = 0; i < batchWithdrawals.Count; i++)
        {
            if (batchWithdrawals[i].BlockNumber == blockNumber && batchWithdrawals[i].TxIndex == txIndex)
            {
                return StateProofVerifier.ProveWithdrawal(batchWithdrawals, i);
            }
        }
        throw new ArgumentException($"no accepted withdrawal at block {blockNumber}, transaction {txIndex}");
    }
}
