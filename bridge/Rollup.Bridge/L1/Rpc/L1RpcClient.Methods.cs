using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>The typed eth_* methods.</summary>
public sealed partial class L1RpcClient
{
    public async Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        await QuantityAsync("eth_chainId", [], cancellationToken);

    public async Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        await QuantityAsync("eth_blockNumber", [], cancellationToken);

    /// <summary>The block at a number or tag (latest, safe, finalized, ...); null when there is none (yet).</summary>
    public async Task<L1Block?> GetBlockAsync(BlockTag block, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_getBlockByNumber";
        var result = await RequestAsync(Method, [block.Value, false], cancellationToken);
        return result.ValueKind == JsonValueKind.Null ? null : L1Block.FromJson(Method, result);
    }

    /// <summary>The block with this hash; null when the node does not know it (for example after a reorg dropped it).</summary>
    public async Task<L1Block?> GetBlockByHashAsync(Hash256 hash, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_getBlockByHash";
        var result = await RequestAsync(Method, [hash.ToString(), false], cancellationToken);
        return result.ValueKind == JsonValueKind.Null ? null : L1Block.FromJson(Method, result);
    }

    /// <summary>The account's nonce: transactions mined by <paramref name="block"/> (pending: including the node's pool).</summary>
    public async Task<ulong> GetTransactionCountAsync(Address account, BlockTag block, CancellationToken cancellationToken = default) =>
        await QuantityAsync("eth_getTransactionCount", [account.ToString(), block.Value], cancellationToken);

    /// <summary>The account's balance in wei.</summary>
    public async Task<BigInteger> GetBalanceAsync(Address account, BlockTag block, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_getBalance";
        return ParseBigQuantity(Method, await RequestAsync(Method, [account.ToString(), block.Value], cancellationToken));
    }

    /// <summary>Submits a signed transaction; returns its hash as the node computed it.</summary>
    public async Task<Hash256> SendRawTransactionAsync(ReadOnlyMemory<byte> rawTransaction, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_sendRawTransaction";
        var result = await RequestAsync(Method, [RpcJson.Data(rawTransaction.Span)], cancellationToken);
        return RpcJson.ParseHash(Method, "result", StringResult(result));
    }

    /// <summary>The receipt; null while the transaction is not mined (or unknown).</summary>
    public async Task<L1Receipt?> GetTransactionReceiptAsync(Hash256 transactionHash, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_getTransactionReceipt";
        var result = await RequestAsync(Method, [transactionHash.ToString()], cancellationToken);
        return result.ValueKind == JsonValueKind.Null ? null : L1Receipt.FromJson(Method, result);
    }

    /// <summary>The transaction; null when the node does not know it.</summary>
    public async Task<L1TransactionInfo?> GetTransactionByHashAsync(Hash256 transactionHash, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_getTransactionByHash";
        var result = await RequestAsync(Method, [transactionHash.ToString()], cancellationToken);
        return result.ValueKind == JsonValueKind.Null ? null : L1TransactionInfo.FromJson(Method, result);
    }

    /// <summary>Executes a call without a transaction; returns its return data. A revert throws <see cref="L1CallRevertedException"/>.</summary>
    public async Task<byte[]> CallAsync(L1CallRequest call, BlockTag block, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_call";
        var result = await RequestAsync(Method, [call.ToJson(), block.Value], cancellationToken);
        return RpcJson.ParseBytes(Method, "result", StringResult(result));
    }

    /// <summary>The gas the transaction would use now. A revert throws <see cref="L1CallRevertedException"/>.</summary>
    public async Task<ulong> EstimateGasAsync(L1CallRequest call, CancellationToken cancellationToken = default) =>
        await QuantityAsync("eth_estimateGas", [call.ToJson()], cancellationToken);

    public async Task<IReadOnlyList<L1Log>> GetLogsAsync(L1LogFilter filter, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_getLogs";
        var result = await RequestAsync(Method, [filter.ToJson()], cancellationToken);
        return result.ValueKind == JsonValueKind.Array
            ? result.EnumerateArray().Select(log => L1Log.FromJson(Method, log)).ToArray()
            : throw RpcJson.Malformed(Method, "result", result.GetRawText(), "expected an array of logs");
    }

    /// <summary>Base fees and tips of the <paramref name="blockCount"/> blocks up to <paramref name="newestBlock"/>.</summary>
    public async Task<L1FeeHistory> GetFeeHistoryAsync(int blockCount, BlockTag newestBlock, IReadOnlyList<double> rewardPercentiles, CancellationToken cancellationToken = default)
    {
        const string Method = "eth_feeHistory";
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockCount);
        var percentiles = new JsonArray(rewardPercentiles.Select(p => (JsonNode)JsonValue.Create(p)).ToArray());
        var result = await RequestAsync(Method, [RpcJson.Quantity((ulong)blockCount), newestBlock.Value, percentiles], cancellationToken);
        return L1FeeHistory.FromJson(Method, result);
    }

    /// <summary>The node's suggestion for the priority fee (tip) per gas, in wei.</summary>
    public async Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default)
    {
        const string Method = "eth_maxPriorityFeePerGas";
        return ParseBigQuantity(Method, await RequestAsync(Method, [], cancellationToken));
    }

    /// <summary>The node's suggestion for a legacy gas price, in wei.</summary>
    public async Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken = default)
    {
        const string Method = "eth_gasPrice";
        return ParseBigQuantity(Method, await RequestAsync(Method, [], cancellationToken));
    }

    private async Task<ulong> QuantityAsync(string method, IReadOnlyList<JsonNode?> parameters, CancellationToken cancellationToken) =>
        RpcJson.ParseQuantity(method, "result", StringResult(await RequestAsync(method, parameters, cancellationToken)));

    private static BigInteger ParseBigQuantity(string method, JsonElement result) => RpcJson.ParseBigQuantity(method, "result", StringResult(result));

    private static string? StringResult(JsonElement result) =>
        result.ValueKind == JsonValueKind.String ? result.GetString() : result.GetRawText();
}
