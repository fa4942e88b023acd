using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Bridge.Validation;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>
/// The settlement contract on L1 (docs/contract.md) as the deposit watcher, the batch poster and the validator
/// see it, through a Nethereum <see cref="Nethereum.Contracts.Contract"/> bound to the compiled artifact's ABI.
/// Reads are eth_call and eth_getLogs; writes go through a <see cref="ContractTransactor"/> (only the poster
/// writes, with the sequencer's key).
/// </summary>
public sealed partial class SettlementClient : IDepositSource, IBatchSink, IBatchSource
{
    private static readonly ContractArtifact Artifact = ContractArtifact.Settlement;
    private static readonly string DepositQueuedTopic = Topic0("DepositQueued");
    private readonly L1Client _l1;
    private readonly Contract _contract;
    private readonly ContractTransactor? _transactor;

    public SettlementClient(L1Client l1, Address contract, ContractTransactor? transactor = null)
    {
        ArgumentNullException.ThrowIfNull(l1);
        _l1 = l1;
        Contract = contract;
        _contract = l1.Eth.GetContract(Artifact.AbiJson, contract.ToString());
        _transactor = transactor;
    }

    public Address Contract { get; }

    /// <summary>How deep under the L1 head a commitment must be before the validator follows it.</summary>
    public int Confirmations { get; init; }

    /// <summary>The first L1 block worth searching for the contract's events (its deployment).</summary>
    public ulong FromBlock { get; init; }

    /// <summary>The L1 node this client reads (the withdraw tool asks it for the head).</summary>
    public L1Client Rpc => _l1;

    // Deposit watcher

    public Task<ulong> GetHeadNumberAsync(CancellationToken cancellation) => _l1.GetBlockNumberAsync(cancellation);

    public async Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken cancellation) =>
        await _l1.GetBlockAsync(new BlockParameter(number), cancellation).ConfigureAwait(false) is { } block
            ? new L1BlockRef((ulong)block.Number.Value, Hash256.Parse(block.BlockHash), Hash256.Parse(block.ParentHash))
            : null;

    public async Task<IReadOnlyList<QueuedDeposit>> GetDepositsAsync(Hash256 blockHash, CancellationToken cancellation)
    {
        var logs = await _l1.GetLogsOfBlockAsync(blockHash, Contract, Topic0("DepositQueued"), cancellation).ConfigureAwait(false);
        var deposits = new QueuedDeposit[logs.Length];
        for (var i = 0; i < logs.Length; i++)
        {
            deposits[i] = DecodeDeposit(logs[i]);
        }
        return deposits;
    }

    /// <summary>
    /// A DepositQueued log as the L1 node answered it; <see cref="L1ProtocolException"/> when it is not one (wrong
    /// topic, missing or malformed topics, data, block number or hash), so the watcher retries instead of crediting it.
    /// </summary>
    public static QueuedDeposit DecodeDeposit(FilterLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Topics is not { Length: 4 } topics || !string.Equals(topics[0]?.ToString(), DepositQueuedTopic, StringComparison.OrdinalIgnoreCase))
        {
            throw new L1ProtocolException("a log that is not a DepositQueued event (its topics differ)") { Method = "eth_getLogs" };
        }
        if (log.BlockNumber is null || !Hash256.TryParse(log.BlockHash, out var blockHash))
        {
            throw new L1ProtocolException("a DepositQueued log without its block number and hash") { Method = "eth_getLogs" };
        }
        DepositQueuedEvent deposit;
        try
        {
            deposit = log.DecodeEvent<DepositQueuedEvent>().Event;
        }
        catch (Exception error) when (error is ArgumentException or FormatException or OverflowException or IndexOutOfRangeException or InvalidOperationException or NullReferenceException)
        {
            // Nethereum's ABI decoder reports bad data with whatever its parsing hit.
            throw new L1ProtocolException($"a DepositQueued log that does not decode ({error.GetType().Name}: {error.Message})") { Method = "eth_getLogs" };
        }
        if (!Address.TryParse(deposit.L2Account, out var l2Account) || !Address.TryParse(deposit.From, out var from))
        {
            throw new L1ProtocolException("a DepositQueued log whose addresses do not decode") { Method = "eth_getLogs" };
        }
        return new QueuedDeposit(deposit.Index, l2Account, from, deposit.Amount, (ulong)log.BlockNumber.Value, blockHash);
    }

    public async Task<ulong?> GetDepositBlockAsync(ulong index, CancellationToken cancellation) =>
        await GetQueuedAsync(index, cancellation).ConfigureAwait(false) is { } entry ? entry.L1Block : null;

    public async Task<ulong> GetDepositCountAsync(CancellationToken cancellation) =>
        await CallAsync<ulong>("depositCount", await PinnedBlockAsync(cancellation).ConfigureAwait(false), cancellation).ConfigureAwait(false);

    public async Task<(Address L2Account, ulong Amount)?> GetQueuedDepositAsync(ulong index, CancellationToken cancellation) =>
        await GetQueuedAsync(index, cancellation).ConfigureAwait(false) is { } entry ? (Address.Parse(entry.L2Account), entry.Amount) : null;

    public async Task<DepositQueueEntry?> GetQueueEntryAsync(ulong index, CancellationToken cancellation) =>
        await GetQueuedAsync(index, cancellation).ConfigureAwait(false) is { } entry
            ? new DepositQueueEntry(index, Address.Parse(entry.L2Account), entry.Amount, entry.L1Block)
            : null;

    /// <summary>The queue count and the entry read at one block, so a reorg between the two reads cannot mix chains.</summary>
    private async Task<QueuedDepositRecord?> GetQueuedAsync(ulong index, CancellationToken cancellation)
    {
        var block = await PinnedBlockAsync(cancellation).ConfigureAwait(false);
        if (index >= await CallAsync<ulong>("depositCount", block, cancellation).ConfigureAwait(false))
        {
            return null;
        }
        return (await CallOutputAsync<QueuedDepositOutput>("queuedDeposit", block, cancellation, index).ConfigureAwait(false)).Record;
    }

    /// <summary>The current head as a block parameter: reads that must agree with each other are made at it.</summary>
    private async Task<BlockParameter> PinnedBlockAsync(CancellationToken cancellation) =>
        new(await _l1.GetBlockNumberAsync(cancellation).ConfigureAwait(false));

    /// <summary>A view returning one value, at <paramref name="block"/>.</summary>
    private async Task<T> CallAsync<T>(string function, BlockParameter block, CancellationToken cancellation, params object[] arguments)
    {
        var call = _contract.GetFunction(function);
        return call.DecodeTypeOutput<T>(await CallRawAsync(call, function, block, arguments, cancellation).ConfigureAwait(false));
    }

    /// <summary>A view returning a struct or several values, decoded to a [FunctionOutput] DTO, at <paramref name="block"/>.</summary>
    private async Task<T> CallOutputAsync<T>(string function, BlockParameter block, CancellationToken cancellation, params object[] arguments)
        where T : new()
    {
        var call = _contract.GetFunction(function);
        return call.DecodeDTOTypeOutput<T>(await CallRawAsync(call, function, block, arguments, cancellation).ConfigureAwait(false));
    }

    /// <summary>
    /// eth_call, refusing an empty answer: Nethereum would decode it as zeros, and an address without the contract
    /// (a wrong Node:SettlementContract, or an L1 that lost its state) would then read as a fresh contract.
    /// </summary>
    private async Task<string> CallRawAsync(Function call, string function, BlockParameter block, object[] arguments, CancellationToken cancellation)
    {
        var output = await _l1.RunAsync("eth_call", eth => eth.Transactions.Call.SendRequestAsync(call.CreateCallInput(arguments), block), cancellation).ConfigureAwait(false);
        return output is { Length: > 2 }
            ? output
            : throw new L1ContractMissingException($"eth_call: {function}() at {Contract} returned nothing at block {block.GetRPCParam()}: no settlement contract there") { Method = "eth_call" };
    }

    private static string Topic0(string eventName) => "0x" + Artifact.Event(eventName).Sha3Signature.Replace("0x", "", StringComparison.Ordinal);

    private ContractTransactor Transactor =>
        _transactor ?? throw new InvalidOperationException("this settlement client has no key to send transactions with");

    private Task<L1Receipt> TransactAsync(byte[] calldata, CancellationToken cancellation) => Transactor.SendAsync(Contract, calldata, cancellation);
}
