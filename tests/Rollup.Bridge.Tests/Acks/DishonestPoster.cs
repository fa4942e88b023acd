using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Batches;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Compression;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Tests.Acks;

/// <summary>
/// Test-only: posts a batch of its own making with the sequencer's key, as a dishonest sequencer would: real
/// transactions in the posted data, the committed root the honest tree of that data, and a range it chooses (one
/// sequence longer than the data, for an omission). Nothing a node runs can do this.
/// </summary>
internal sealed class DishonestPoster(SettlementClient settlement)
{
    public static DishonestPoster Create(L1Client l1, Address contract, TransactionSender sequencer) =>
        new(new SettlementClient(l1, contract, new ContractTransactor(l1, sequencer, ContractArtifact.Settlement, NullLogger.Instance)));

    /// <summary>Posts <paramref name="batch"/> as the next batch (numbered from the next L2 block) and commits it with <paramref name="extraSequences"/> more in its range than it holds.</summary>
    /// <remarks><paramref name="txRoot"/>, when given, is committed instead of the data's tree: a root no proof from the data reaches.</remarks>
    public async Task<(ulong BatchIndex, ulong FirstSequence, IReadOnlyList<Block> Blocks)> PostAsync(L2Batch batch, ulong extraSequences = 0, Hash256? txRoot = null)
    {
        var status = await settlement.GetStatusAsync(default);
        var blocks = batch.Blocks.Select((b, i) => b with { Number = status.NextL2Block + (ulong)i }).ToList();
        var frame = BatchFrame.Encode(new L2Batch(blocks, batch.MarketRoots), CompressionCodecId.None);
        var parts = BatchParts.Split(frame);
        await settlement.PostPartsAsync(status.NextBatchIndex, 0, parts, default);
        var first = status.NextSequence;
        var count = BatchTransactionRoot.CountTransactions(blocks);
        (DomainId, DomainClaim)[] claims = [(DomainId.Accounts, new DomainClaim(Made("claim start", status.NextBatchIndex), Made("claim end", status.NextBatchIndex), 1))];
        await settlement.CommitAsync(new BatchCommitment(
            status.NextBatchIndex, blocks[0].Number, blocks[^1].Number, BatchParts.DataHash(parts), status.LastStateRoot,
            Made("state", status.NextBatchIndex), Hash256.Zero, Hash256.Zero, 0, first, count + extraSequences,
            txRoot ?? BatchTransactionRoot.Compute(first, blocks), Made("blocks", status.NextBatchIndex), BatchClaimsRoot.Compute(claims)), claims, default);
        return (status.NextBatchIndex, first, blocks);
    }

    private static Hash256 Made(string what, ulong index) => Keccak256.Compute(Encoding.ASCII.GetBytes($"{what} {index}"));
}
