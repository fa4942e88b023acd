using Microsoft.Extensions.Logging;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Validation;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.State.Proofs;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>
/// The settlement contract on L1 (docs/contract.md) as the deposit watcher, the batch poster and the validator
/// see it. Reads are eth_call and eth_getLogs; writes go through a <see cref="ContractTransactor"/> (only the
/// poster writes, with the sequencer's key).
/// </summary>
public sealed class SettlementClient : IDepositSource, IBatchSink, IBatchSource
{
    private static readonly ContractArtifact Abi = ContractArtifact.Settlement;
    private readonly L1RpcClient _rpc;
    private readonly ContractTransactor? _transactor;

    public SettlementClient(L1RpcClient rpc, Address contract, ContractTransactor? transactor = null)
    {
        _rpc = rpc;
        Contract = contract;
        _transactor = transactor;
    }

    public Address Contract { get; }

    /// <summary>How deep under the L1 head a commitment must be before the validator follows it.</summary>
    public int Confirmations { get; init; }

    /// <summary>The first L1 block worth searching for the contract's events (its deployment).</summary>
    public ulong FromBlock { get; init; }

    public L1RpcClient Rpc => _rpc;

    // Deposit watcher

    public Task<ulong> GetHeadNumberAsync(CancellationToken cancellation) => _rpc.GetBlockNumberAsync(cancellation);

    public async Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken cancellation) =>
        await _rpc.GetBlockAsync(number, cancellation).ConfigureAwait(false) is { } block ? new L1BlockRef(block.Number, block.Hash, block.ParentHash) : null;

    public async Task<IReadOnlyList<QueuedDeposit>> GetDepositsAsync(Hash256 blockHash, CancellationToken cancellation)
    {
        var queued = Abi.Event("DepositQueued");
        var logs = await _rpc.GetLogsAsync(new L1LogFilter { Addresses = [Contract], Topics = [[queued.Topic0]], BlockHash = blockHash }, cancellation).ConfigureAwait(false);
        var deposits = new List<QueuedDeposit>(logs.Count);
        foreach (var log in logs)
        {
            var values = queued.Decode(log);
            deposits.Add(new QueuedDeposit((ulong)values[0]!, (Address)values[1]!, (Address)values[2]!, (ulong)values[3]!, log.BlockNumber, log.BlockHash));
        }
        return deposits;
    }

    public async Task<ulong?> GetDepositBlockAsync(ulong index, CancellationToken cancellation) =>
        await GetQueuedAsync(index, cancellation).ConfigureAwait(false) is { } entry ? entry.L1Block : null;

    public async Task<ulong> GetDepositCountAsync(CancellationToken cancellation) =>
        (ulong)(await CallAsync("depositCount", cancellation).ConfigureAwait(false))[0]!;

    // Batch poster

    public async Task<SettlementStatus> GetStatusAsync(CancellationToken cancellation)
    {
        var next = (ulong)(await CallAsync("nextBatchIndex", cancellation).ConfigureAwait(false))[0]!;
        var nextBlock = (ulong)(await CallAsync("nextL2Block", cancellation).ConfigureAwait(false))[0]!;
        var root = (Hash256)(await CallAsync("lastStateRoot", cancellation).ConfigureAwait(false))[0]!;
        var pending = await CallAsync("pendingBatchData", cancellation).ConfigureAwait(false);
        var frozen = (bool)(await CallAsync("frozen", cancellation).ConfigureAwait(false))[0]!;
        return new SettlementStatus(next, nextBlock, root, (uint)(ulong)pending[0]!, (Hash256)pending[1]!, frozen);
    }

    public Task PostPartAsync(ulong batchIndex, uint part, ReadOnlyMemory<byte> data, CancellationToken cancellation) =>
        TransactAsync(Abi.Function("postBatchData").EncodeCall(batchIndex, part, data.ToArray()), cancellation);

    /// <summary>All the parts sent at once with consecutive nonces, so a batch of many parts costs about one L1 block, not one each.</summary>
    public async Task PostPartsAsync(ulong batchIndex, uint firstPart, IReadOnlyList<ReadOnlyMemory<byte>> parts, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var calls = new List<byte[]>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            calls.Add(Abi.Function("postBatchData").EncodeCall(batchIndex, firstPart + (uint)i, parts[i].ToArray()));
        }
        await (_transactor ?? throw new InvalidOperationException("this settlement client has no key to send transactions with"))
            .SendInOrderAsync(Contract, calls, cancellation).ConfigureAwait(false);
    }

    public Task DiscardPendingAsync(CancellationToken cancellation) =>
        TransactAsync(Abi.Function("discardBatchData").EncodeCall(), cancellation);

    public Task CommitAsync(BatchCommitment commitment, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        object?[] tuple =
        [
            commitment.BatchIndex, commitment.FirstBlock, commitment.LastBlock, commitment.BatchDataHash, commitment.PrevStateRoot,
            commitment.NewStateRoot, commitment.MarketRootsRoot, commitment.WithdrawalsRoot, commitment.DepositCursor,
        ];
        return TransactAsync(Abi.Function("commitBatch").EncodeCall([tuple]), cancellation);
    }

    // Validator

    public async Task<CommittedBatch?> GetCommittedBatchAsync(ulong batchIndex, CancellationToken cancellation)
    {
        var head = await _rpc.GetBlockNumberAsync(cancellation).ConfigureAwait(false);
        if (head < (ulong)Confirmations)
        {
            return null;
        }
        var confirmed = head - (ulong)Confirmations;
        var committedEvent = Abi.Event("BatchCommitted");
        var index = AbiEncoder.EncodeTopic(AbiType.UInt(64), batchIndex);
        var commits = await _rpc.GetLogsAsync(new L1LogFilter
        {
            Addresses = [Contract],
            Topics = [[committedEvent.Topic0], [index]],
            FromBlock = FromBlock,
            ToBlock = confirmed,
        }, cancellation).ConfigureAwait(false);
        if (commits.Count == 0)
        {
            return null;
        }
        var commitLog = commits[0];
        var commitTx = await _rpc.GetTransactionByHashAsync(commitLog.TransactionHash, cancellation).ConfigureAwait(false)
            ?? throw new L1ProtocolException($"transaction {commitLog.TransactionHash} of a BatchCommitted log is missing") { Method = "eth_getTransactionByHash" };
        var c = (object?[])Abi.Function("commitBatch").DecodeCall(commitTx.Input.Span)[0]!;
        var commitment = new BatchCommitment((ulong)c[0]!, (ulong)c[1]!, (ulong)c[2]!, (Hash256)c[3]!, (Hash256)c[4]!, (Hash256)c[5]!, (Hash256)c[6]!, (Hash256)c[7]!, (ulong)c[8]!);

        var posted = await _rpc.GetLogsAsync(new L1LogFilter
        {
            Addresses = [Contract],
            Topics = [[Abi.Event("BatchDataPosted").Topic0], [index]],
            FromBlock = FromBlock,
            ToBlock = commitLog.BlockNumber,
        }, cancellation).ConfigureAwait(false);
        var run = PartsOfTheCommittedRun(posted, commitLog);
        var parts = new List<ReadOnlyMemory<byte>>(run.Count);
        var postBatchData = Abi.Function("postBatchData");
        foreach (var log in run)
        {
            var tx = await _rpc.GetTransactionByHashAsync(log.TransactionHash, cancellation).ConfigureAwait(false)
                ?? throw new L1ProtocolException($"transaction {log.TransactionHash} of a BatchDataPosted log is missing") { Method = "eth_getTransactionByHash" };
            parts.Add((byte[])postBatchData.DecodeCall(tx.Input.Span)[2]!);
        }
        return new CommittedBatch(commitment, parts, commitLog.BlockNumber);
    }

    public async Task<(Address L2Account, ulong Amount)?> GetQueuedDepositAsync(ulong index, CancellationToken cancellation) =>
        await GetQueuedAsync(index, cancellation).ConfigureAwait(false) is { } entry ? (entry.L2Account, entry.Amount) : null;

    // Withdrawals and tools

    /// <summary>The committed batch whose blocks include <paramref name="l2Block"/>: its index and block range, or null.</summary>
    public async Task<(ulong BatchIndex, ulong FirstBlock, ulong LastBlock, Hash256 WithdrawalsRoot)?> FindBatchAsync(ulong l2Block, CancellationToken cancellation)
    {
        var committedEvent = Abi.Event("BatchCommitted");
        var logs = await _rpc.GetLogsAsync(new L1LogFilter { Addresses = [Contract], Topics = [[committedEvent.Topic0]], FromBlock = FromBlock, ToBlock = BlockTag.Latest }, cancellation).ConfigureAwait(false);
        foreach (var log in logs)
        {
            var values = committedEvent.Decode(log);
            var (first, last) = ((ulong)values[5]!, (ulong)values[6]!);
            if (first <= l2Block && l2Block <= last)
            {
                return ((ulong)values[0]!, first, last, (Hash256)values[3]!);
            }
        }
        return null;
    }

    /// <summary>The L1 block from which batch <paramref name="batchIndex"/> is final (docs/contract.md, <c>batch(i).finalAt</c>).</summary>
    public async Task<ulong> GetFinalAtAsync(ulong batchIndex, CancellationToken cancellation) =>
        (ulong)((object?[])(await CallAsync("batch", cancellation, batchIndex).ConfigureAwait(false))[0]!)[4]!;

    public async Task<bool> IsFinalizedAsync(ulong batchIndex, CancellationToken cancellation) =>
        (bool)(await CallAsync("isFinalized", cancellation, batchIndex).ConfigureAwait(false))[0]!;

    public async Task<bool> IsClaimedAsync(ulong l2Block, uint txIndex, CancellationToken cancellation)
    {
        var key = (Hash256)(await CallAsync("withdrawalKey", cancellation, l2Block, txIndex).ConfigureAwait(false))[0]!;
        return (bool)(await CallAsync("claimed", cancellation, key).ConfigureAwait(false))[0]!;
    }

    public Task<L1Receipt> ClaimWithdrawalAsync(ulong batchIndex, ulong l2Block, uint txIndex, Address account, ulong amount, IReadOnlyList<Hash256> siblings, CancellationToken cancellation) =>
        TransactAsync(Abi.Function("claimWithdrawal").EncodeCall(batchIndex, l2Block, txIndex, account, amount, siblings.Cast<object?>().ToArray()), cancellation);

    public Task<L1Receipt> FreezeAsync(CancellationToken cancellation) =>
        TransactAsync(Abi.Function("freeze").EncodeCall(), cancellation);

    public async Task<Hash256> GetEscapeStateRootAsync(CancellationToken cancellation) =>
        (Hash256)(await CallAsync("escapeStateRoot", cancellation).ConfigureAwait(false))[0]!;

    /// <summary>Leaves a frozen contract with the caller's account proof and, per market in increasing id, its market record and position proofs.</summary>
    public Task<L1Receipt> EscapeAsync(AccountProof account, IReadOnlyList<(MarketRecordProof Market, PositionProof Position)> markets, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(markets);
        var proofs = new object?[markets.Count];
        for (var i = 0; i < markets.Count; i++)
        {
            var (market, position) = markets[i];
            proofs[i] = new object?[]
            {
                market.Market, market.Record, Siblings(market.PathInMarket), position.Record, Siblings(position.PathInMarket), Siblings(market.MarketRootPath),
            };
        }
        return TransactAsync(Abi.Function("escape").EncodeCall(account.Record, Siblings(account.Path), account.MarketsRoot, proofs), cancellation);
    }

    private static object?[] Siblings(MerkleProof proof) => proof.Siblings.Cast<object?>().ToArray();

    private async Task<(Address L2Account, ulong Amount, ulong L1Block)?> GetQueuedAsync(ulong index, CancellationToken cancellation)
    {
        if (index >= await GetDepositCountAsync(cancellation).ConfigureAwait(false))
        {
            return null;
        }
        var entry = (object?[])(await CallAsync("queuedDeposit", cancellation, index).ConfigureAwait(false))[0]!;
        return ((Address)entry[0]!, (ulong)entry[1]!, (ulong)entry[2]!);
    }

    /// <summary>The parts of the last run before the commitment: a run restarts at part 0 after a discard.</summary>
    private static List<L1Log> PartsOfTheCommittedRun(IReadOnlyList<L1Log> posted, L1Log commit)
    {
        var ordered = posted
            .Where(l => l.BlockNumber < commit.BlockNumber || (l.BlockNumber == commit.BlockNumber && l.LogIndex < commit.LogIndex))
            .OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex)
            .ToList();
        var dataPosted = Abi.Event("BatchDataPosted");
        var start = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            if ((ulong)dataPosted.Decode(ordered[i])[1]! == 0)
            {
                start = i;
            }
        }
        return ordered.GetRange(start, ordered.Count - start);
    }

    private async Task<object?[]> CallAsync(string function, CancellationToken cancellation, params object?[] arguments)
    {
        var abi = Abi.Function(function);
        var result = await _rpc.CallAsync(new L1CallRequest { To = Contract, Data = abi.EncodeCall(arguments) }, BlockTag.Latest, cancellation).ConfigureAwait(false);
        return abi.DecodeOutput(result);
    }

    private Task<L1Receipt> TransactAsync(byte[] calldata, CancellationToken cancellation) =>
        (_transactor ?? throw new InvalidOperationException("this settlement client has no key to send transactions with")).SendAsync(Contract, calldata, cancellation);
}
