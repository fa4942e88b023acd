using Nethereum.Contracts.Services;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>
/// The L1 node over Nethereum (<see cref="Web3"/> on an HTTP <see cref="RpcClient"/>). Nethereum does the
/// JSON-RPC, the DTOs, the ABI and the signing; what this class adds is one error model for the bridge:
/// <see cref="L1UnavailableException"/> (no answer: retry later), <see cref="L1RpcException"/> (the node's
/// JSON-RPC error; <see cref="L1CallRevertedException"/> for a revert), and the caller's cancellation as
/// <see cref="OperationCanceledException"/>. Thread-safe.
/// </summary>
public sealed class L1Client : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public L1Client(Uri endpoint, TimeSpan? timeout = null)
    {
        Endpoint = endpoint;
        Timeout = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(timeout));
        _http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        Rpc = new RpcClient(endpoint, _http);
        Web3 = new Web3(Rpc);
    }

    public Uri Endpoint { get; }

    /// <summary>How long one request may take, from sending to the end of the answer.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Nethereum's JSON-RPC client, for methods Nethereum has no typed request for (anvil's).</summary>
    public RpcClient Rpc { get; }

    public Web3 Web3 { get; }

    public IEthApiContractService Eth => Web3.Eth;

    /// <summary>
    /// Runs one Nethereum request and translates its failures. Nethereum's requests take no cancellation token and
    /// its connection timeout is process-wide: the caller returns after <see cref="Timeout"/> or on cancellation,
    /// and the abandoned request ends on its own within Nethereum's timeout.
    /// </summary>
    public async Task<T> RunAsync<T>(string method, Func<IEthApiContractService, Task<T>> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await request(Eth).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (L1Errors.Translate(method, Endpoint, Timeout, error) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>A JSON-RPC method by name (anvil's development methods), parameters serialised by Nethereum.</summary>
    public Task<T> RequestAsync<T>(string method, object?[] parameters, CancellationToken cancellationToken = default) =>
        RunAsync(method, _ => Rpc.SendRequestAsync<T>(new RpcRequest(Guid.NewGuid().ToString("N"), method, parameters)), cancellationToken);

    public async Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        (ulong)(await RunAsync("eth_chainId", eth => eth.ChainId.SendRequestAsync(), cancellationToken).ConfigureAwait(false)).Value;

    public async Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        (ulong)(await RunAsync("eth_blockNumber", eth => eth.Blocks.GetBlockNumber.SendRequestAsync(), cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>The block (with its transaction hashes) at a number or tag; null when there is none (yet).</summary>
    public Task<BlockWithTransactionHashes?> GetBlockAsync(BlockParameter block, CancellationToken cancellationToken = default) =>
        RunAsync<BlockWithTransactionHashes?>("eth_getBlockByNumber", async eth => await eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(block).ConfigureAwait(false), cancellationToken);

    /// <summary>The account's nonce: transactions mined by <paramref name="block"/> (pending: including the node's pool).</summary>
    public async Task<ulong> GetTransactionCountAsync(Address account, BlockParameter block, CancellationToken cancellationToken = default) =>
        (ulong)(await RunAsync("eth_getTransactionCount", eth => eth.Transactions.GetTransactionCount.SendRequestAsync(account.ToString(), block), cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>The receipt; null while the transaction is not mined (or unknown).</summary>
    public async Task<L1Receipt?> GetReceiptAsync(Hash256 transactionHash, CancellationToken cancellationToken = default) =>
        await RunAsync("eth_getTransactionReceipt", eth => eth.Transactions.GetTransactionReceipt.SendRequestAsync(transactionHash.ToString()), cancellationToken).ConfigureAwait(false) is { } receipt
            ? L1Receipt.FromNethereum(receipt)
            : null;

    /// <summary>The transaction; null when the node does not know it.</summary>
    public Task<Transaction?> GetTransactionAsync(Hash256 transactionHash, CancellationToken cancellationToken = default) =>
        RunAsync<Transaction?>("eth_getTransactionByHash", async eth => await eth.Transactions.GetTransactionByHash.SendRequestAsync(transactionHash.ToString()).ConfigureAwait(false), cancellationToken);

    /// <summary>eth_getLogs over a block range.</summary>
    public Task<FilterLog[]> GetLogsAsync(NewFilterInput filter, CancellationToken cancellationToken = default) =>
        RunAsync("eth_getLogs", eth => eth.Filters.GetLogs.SendRequestAsync(filter), cancellationToken);

    /// <summary>
    /// eth_getLogs of one block by hash (EIP-234), which Nethereum's filter type cannot say: a reorg between
    /// reading a block and its logs then yields an error or nothing, never the logs of the block that replaced it.
    /// </summary>
    public Task<FilterLog[]> GetLogsOfBlockAsync(Hash256 blockHash, Address contract, string topic0, CancellationToken cancellationToken = default) =>
        RequestAsync<FilterLog[]>("eth_getLogs", [new BlockHashLogFilter(blockHash.ToString(), [contract.ToString()], [topic0])], cancellationToken);

    public void Dispose() => _http.Dispose();
}
