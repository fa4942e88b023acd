using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.Batches;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Bridge.Validation;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>What the validator reads: a committed batch rebuilt from L1 events and the calldata of their transactions.</summary>
public sealed partial class SettlementClient
{
    public async Task<CommittedBatch?> GetCommittedBatchAsync(ulong batchIndex, CancellationToken cancellation)
    {
        if (await FindCommitmentAsync(batchIndex, cancellation).ConfigureAwait(false) is not { } found)
        {
            return null;
        }
        var (commitLog, commitment, claims) = found;
        var posted = await _l1.GetLogsAsync(
            Artifact.Event("BatchDataPosted").CreateFilterInput(Contract.ToString(), [(object)batchIndex], new BlockParameter(FromBlock), new BlockParameter((ulong)commitLog.BlockNumber.Value)),
            cancellation).ConfigureAwait(false);
        var parts = new List<ReadOnlyMemory<byte>>();
        foreach (var log in PartsOfTheCommittedRun(posted, commitLog))
        {
            var tx = await TransactionOfAsync(log, "BatchDataPosted", cancellation).ConfigureAwait(false);
            parts.Add(tx.DecodeTransactionToFunctionMessage<PostBatchDataFunction>().Data);
        }
        return new CommittedBatch(commitment, claims, parts, (ulong)commitLog.BlockNumber.Value);
    }

    /// <summary>Batch <paramref name="batchIndex"/>'s commitment at the followed depth, without its data (a reorg check).</summary>
    public async Task<BatchCommitment?> GetCommitmentAsync(ulong batchIndex, CancellationToken cancellation) =>
        (await FindCommitmentAsync(batchIndex, cancellation).ConfigureAwait(false))?.Commitment;

    /// <summary>
    /// The <c>BatchCommitted</c> log of the batch at least <see cref="Confirmations"/> deep, and the commitment and its
    /// domain claims from its transaction's calldata.
    /// </summary>
    private async Task<(FilterLog Log, BatchCommitment Commitment, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> Claims)?> FindCommitmentAsync(ulong batchIndex, CancellationToken cancellation)
    {
        var head = await _l1.GetBlockNumberAsync(cancellation).ConfigureAwait(false);
        if (head < (ulong)Confirmations)
        {
            return null;
        }
        var confirmed = head - (ulong)Confirmations;
        var commits = await _l1.GetLogsAsync(
            Artifact.Event("BatchCommitted").CreateFilterInput(Contract.ToString(), [(object)batchIndex], new BlockParameter(FromBlock), new BlockParameter(confirmed)),
            cancellation).ConfigureAwait(false);
        if (commits.Length == 0)
        {
            return null;
        }
        var commitLog = commits[0];
        var call = (await TransactionOfAsync(commitLog, "BatchCommitted", cancellation).ConfigureAwait(false))
            .DecodeTransactionToFunctionMessage<CommitBatchFunction>();
        var c = call.Commitment;
        var claims = call.Claims.Select(k => (new DomainId(k.Kind, k.Market), new DomainClaim(new Hash256(k.Start), new Hash256(k.End), k.Steps))).ToList();
        return (commitLog, new BatchCommitment(
            c.BatchIndex, c.FirstBlock, c.LastBlock, new Hash256(c.BatchDataHash), new Hash256(c.PrevStateRoot), new Hash256(c.NewStateRoot),
            new Hash256(c.MarketRootsRoot), new Hash256(c.WithdrawalsRoot), c.DepositCursor, c.FirstSequence, c.TxCount, new Hash256(c.TxRoot),
            new Hash256(c.BlocksRoot), new Hash256(c.ClaimsRoot)), claims);
    }

    public async Task<ulong> GetCommittedBatchCountAsync(CancellationToken cancellation) =>
        await CallAsync<ulong>("nextBatchIndex", await PinnedBlockAsync(cancellation).ConfigureAwait(false), cancellation).ConfigureAwait(false);

    private async Task<Transaction> TransactionOfAsync(FilterLog log, string eventName, CancellationToken cancellation) =>
        await _l1.GetTransactionAsync(Hash256.Parse(log.TransactionHash), cancellation).ConfigureAwait(false)
            ?? throw new L1ProtocolException($"transaction {log.TransactionHash} of a {eventName} log is missing") { Method = "eth_getTransactionByHash" };

    /// <summary>The parts of the last run before the commitment: a run restarts at part 0 after a discard.</summary>
    private static List<FilterLog> PartsOfTheCommittedRun(IEnumerable<FilterLog> posted, FilterLog commit)
    {
        var (commitBlock, commitIndex) = (commit.BlockNumber.Value, commit.LogIndex.Value);
        var ordered = posted
            .Where(l => l.BlockNumber.Value < commitBlock || (l.BlockNumber.Value == commitBlock && l.LogIndex.Value < commitIndex))
            .OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value)
            .ToList();
        var start = ordered.FindLastIndex(l => l.DecodeEvent<BatchDataPostedEvent>().Event.Part == 0);
        return start < 0 ? ordered : ordered.GetRange(start, ordered.Count - start);
    }
}
