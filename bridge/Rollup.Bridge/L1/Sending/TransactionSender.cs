using System.Numerics;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Bridge.L1;

/// <summary>
/// Builds, signs and sends EIP-1559 transactions from one key, and waits for their receipts by polling.
/// Nonces are simple: the caller's, or the node's pending count. Whoever sends many transactions in
/// flight (the batch poster) keeps its own nonces and passes them in.
/// </summary>
public sealed class TransactionSender
{
    private static readonly double[] MedianTip = [50];

    private readonly L1RpcClient _client;
    private readonly PrivateKey _key;
    private readonly TransactionSenderOptions _options;

    public TransactionSender(L1RpcClient client, PrivateKey key, ulong chainId, TransactionSenderOptions? options = null)
    {
        _client = client;
        _key = key;
        ChainId = chainId;
        _options = options ?? new TransactionSenderOptions();
    }

    public Address Address => _key.Address;

    public ulong ChainId { get; }

    /// <summary>
    /// The next block's base fee (the last entry of eth_feeHistory), the node's suggested tip
    /// (eth_maxPriorityFeePerGas), and maxFee = 2 · base fee + tip.
    /// </summary>
    public async Task<L1Fees> EstimateFeesAsync(CancellationToken cancellationToken = default)
    {
        var history = await _client.GetFeeHistoryAsync(1, BlockTag.Latest, MedianTip, cancellationToken);
        var tip = await _client.GetMaxPriorityFeePerGasAsync(cancellationToken);
        var baseFee = history.NextBaseFeePerGas;
        return new L1Fees(baseFee, tip, (2 * baseFee) + tip);
    }

    /// <summary>Fills in what the request leaves open (nonce, gas, fees) and signs; sends nothing.</summary>
    public async Task<SignedEip1559Transaction> SignAsync(L1TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var nonce = request.Nonce ?? await _client.GetTransactionCountAsync(Address, BlockTag.Pending, cancellationToken);
        var gasLimit = request.GasLimit ?? await EstimateGasLimitAsync(request, cancellationToken);
        BigInteger maxFee, tip;
        if (request.MaxFeePerGas is { } requestedMaxFee && request.MaxPriorityFeePerGas is { } requestedTip)
        {
            (maxFee, tip) = (requestedMaxFee, requestedTip);
        }
        else
        {
            var fees = await EstimateFeesAsync(cancellationToken);
            tip = request.MaxPriorityFeePerGas ?? fees.MaxPriorityFeePerGas;
            maxFee = request.MaxFeePerGas ?? ((2 * fees.NextBaseFeePerGas) + tip);
        }
        var transaction = new Eip1559Transaction
        {
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = tip,
            MaxFeePerGas = maxFee,
            GasLimit = gasLimit,
            To = request.To,
            Value = request.Value,
            Data = request.Data,
        };
        return transaction.Sign(_key);
    }

    /// <summary>Signs and submits; returns the signed transaction (its <see cref="SignedEip1559Transaction.Hash"/> identifies it).</summary>
    public async Task<SignedEip1559Transaction> SendAsync(L1TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var signed = await SignAsync(request, cancellationToken);
        var hash = await _client.SendRawTransactionAsync(signed.ToRawArray(), cancellationToken);
        if (hash != signed.Hash)
        {
            throw new L1ProtocolException($"the node names the transaction {hash}, but its hash is {signed.Hash}") { Method = "eth_sendRawTransaction" };
        }
        return signed;
    }

    /// <summary>Sends and waits for the receipt, which is returned whether the transaction succeeded or not (see <see cref="L1Receipt.EnsureSucceeded"/>).</summary>
    public async Task<L1Receipt> SendAndWaitAsync(L1TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var signed = await SendAsync(request, cancellationToken);
        return await WaitForReceiptAsync(signed.Hash, cancellationToken);
    }

    /// <summary>
    /// Polls eth_getTransactionReceipt every <see cref="TransactionSenderOptions.ReceiptPollInterval"/> until the
    /// receipt appears; a <see cref="TimeoutException"/> after <see cref="TransactionSenderOptions.ReceiptTimeout"/>.
    /// </summary>
    public async Task<L1Receipt> WaitForReceiptAsync(Hash256 transactionHash, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReceiptTimeout);
        try
        {
            while (true)
            {
                var receipt = await _client.GetTransactionReceiptAsync(transactionHash, timeout.Token);
                if (receipt is not null)
                {
                    return receipt;
                }
                await Task.Delay(_options.ReceiptPollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no receipt for {transactionHash} within {_options.ReceiptTimeout.TotalSeconds:0.###} s", e);
        }
    }

    /// <summary>
    /// Creates a contract: init code = <paramref name="bytecode"/> ‖ <paramref name="encodedConstructorArguments"/>
    /// (see <see cref="AbiEncoder"/>). Waits for the receipt and throws <see cref="L1TransactionFailedException"/> if the creation failed.
    /// </summary>
    public async Task<ContractDeployment> DeployAsync(ReadOnlyMemory<byte> bytecode, ReadOnlyMemory<byte> encodedConstructorArguments = default, CancellationToken cancellationToken = default)
    {
        byte[] initCode = [.. bytecode.Span, .. encodedConstructorArguments.Span];
        var receipt = (await SendAndWaitAsync(new L1TransactionRequest { Data = initCode }, cancellationToken)).EnsureSucceeded();
        var address = receipt.ContractAddress
            ?? throw new L1ProtocolException($"the receipt of contract creation {receipt.TransactionHash} has no contract address") { Method = "eth_getTransactionReceipt" };
        return new ContractDeployment(address, receipt);
    }

    private async Task<ulong> EstimateGasLimitAsync(L1TransactionRequest request, CancellationToken cancellationToken)
    {
        var estimate = await _client.EstimateGasAsync(
            new L1CallRequest { From = Address, To = request.To, Data = request.Data, Value = request.Value },
            cancellationToken);
        return estimate + (estimate * (ulong)_options.GasLimitMarginPercent / 100);
    }
}
