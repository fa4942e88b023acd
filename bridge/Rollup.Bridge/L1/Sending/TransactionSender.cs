using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.Model;
using Nethereum.RPC.Eth;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Bridge.L1;

/// <summary>
/// Builds EIP-1559 transactions from one key, signs them with Nethereum's <see cref="Transaction1559Signer"/> for
/// the chain id, sends them raw, and waits for their receipts by polling. Nonces are simple: the caller's, or the
/// node's pending count. Whoever sends many transactions in flight (the batch poster) passes its own.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The turn's semaphore never hands out its wait handle, so it holds nothing to dispose.")]
public sealed class TransactionSender
{
    private static readonly decimal[] MedianTip = [50];

    private readonly L1Client _client;
    private readonly EthECKey _key;
    private readonly TransactionSenderOptions _options;

    public TransactionSender(L1Client client, PrivateKey key, ulong chainId, TransactionSenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _client = client;
        _key = new EthECKey(key.ToHexUnsafe());
        Address = key.Address;
        ChainId = chainId;
        _options = options ?? new TransactionSenderOptions();
    }

    public Address Address { get; }

    public ulong ChainId { get; }

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>
    /// One send-and-wait at a time from this key: taken by every client that picks a nonce and waits for its
    /// transaction (the settlement transactor, the game's and the slashing contract's calls), so the parts of a node
    /// that share its key (the poster and the defender) never pick the same nonce or replace each other's
    /// transaction. Share the sender between them, not only the key. Dispose the result to give the turn back.
    /// </summary>
    public async Task<IDisposable> TakeTurnAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Turn(_turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }

    /// <summary>
    /// The next block's base fee (the last entry of eth_feeHistory), the node's suggested tip
    /// (eth_maxPriorityFeePerGas), and maxFee = 2 · base fee + tip.
    /// </summary>
    public async Task<L1Fees> EstimateFeesAsync(CancellationToken cancellationToken = default)
    {
        var history = await _client.RunAsync("eth_feeHistory", eth => eth.FeeHistory.SendRequestAsync(new HexBigInteger(1), BlockParameter.CreateLatest(), MedianTip), cancellationToken).ConfigureAwait(false);
        var tip = (await _client.RunAsync("eth_maxPriorityFeePerGas", _ => new EthMaxPriorityFeePerGas(_client.Rpc).SendRequestAsync(), cancellationToken).ConfigureAwait(false)).Value;
        var baseFee = history.BaseFeePerGas[^1].Value;
        return new L1Fees(baseFee, tip, (2 * baseFee) + tip);
    }

    /// <summary>Fills in what the request leaves open (nonce, gas, fees) and signs; sends nothing.</summary>
    public async Task<SignedL1Transaction> SignAsync(L1TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var nonce = request.Nonce ?? await _client.GetTransactionCountAsync(Address, BlockParameter.CreatePending(), cancellationToken).ConfigureAwait(false);
        var gasLimit = request.GasLimit ?? await EstimateGasLimitAsync(request, cancellationToken).ConfigureAwait(false);
        BigInteger maxFee, tip;
        if (request.MaxFeePerGas is { } requestedMaxFee && request.MaxPriorityFeePerGas is { } requestedTip)
        {
            (maxFee, tip) = (requestedMaxFee, requestedTip);
        }
        else
        {
            var fees = await EstimateFeesAsync(cancellationToken).ConfigureAwait(false);
            tip = request.MaxPriorityFeePerGas ?? fees.MaxPriorityFeePerGas;
            maxFee = request.MaxFeePerGas ?? ((2 * fees.NextBaseFeePerGas) + tip);
        }
        var transaction = new Transaction1559(ChainId, nonce, tip, maxFee, gasLimit, request.To?.ToString(), request.Value, Hex.ToHex(request.Data.Span), []);
        var raw = new Transaction1559Signer().SignTransaction(_key, transaction);
        raw = raw.StartsWith("0x", StringComparison.Ordinal) ? raw : "0x" + raw;
        return new SignedL1Transaction(raw, Keccak256.Compute(Hex.Parse(raw)), nonce);
    }

    /// <summary>Signs and submits; returns the signed transaction (its <see cref="SignedL1Transaction.Hash"/> identifies it).</summary>
    public async Task<SignedL1Transaction> SendAsync(L1TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var signed = await SignAsync(request, cancellationToken).ConfigureAwait(false);
        await SendRawAsync(signed, cancellationToken).ConfigureAwait(false);
        return signed;
    }

    /// <summary>Submits a transaction signed earlier.</summary>
    public async Task SendRawAsync(SignedL1Transaction signed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var hash = await _client.RunAsync("eth_sendRawTransaction", eth => eth.Transactions.SendRawTransaction.SendRequestAsync(signed.Raw), cancellationToken).ConfigureAwait(false);
        if (!Hash256.TryParse(hash, out var named) || named != signed.Hash)
        {
            throw new L1ProtocolException($"eth_sendRawTransaction: the node names the transaction {hash}, but its hash is {signed.Hash}") { Method = "eth_sendRawTransaction" };
        }
    }

    /// <summary>Sends and waits for the receipt, which is returned whether the transaction succeeded or not (see <see cref="L1Receipt.EnsureSucceeded"/>).</summary>
    public async Task<L1Receipt> SendAndWaitAsync(L1TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var signed = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await WaitForReceiptAsync(signed.Hash, cancellationToken).ConfigureAwait(false);
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
                if (await _client.GetReceiptAsync(transactionHash, timeout.Token).ConfigureAwait(false) is { } receipt)
                {
                    return receipt;
                }
                await Task.Delay(_options.ReceiptPollInterval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no receipt for {transactionHash} within {_options.ReceiptTimeout.TotalSeconds:0.###} s", e);
        }
    }

    /// <summary>
    /// Creates a contract from <paramref name="initCode"/> (creation code and encoded constructor arguments, see
    /// <c>ContractArtifact.DeploymentData</c>). Waits for the receipt and throws <see cref="L1TransactionFailedException"/> if the creation failed.
    /// </summary>
    public async Task<ContractDeployment> DeployAsync(ReadOnlyMemory<byte> initCode, CancellationToken cancellationToken = default)
    {
        var receipt = (await SendAndWaitAsync(new L1TransactionRequest { Data = initCode }, cancellationToken).ConfigureAwait(false)).EnsureSucceeded();
        var address = receipt.ContractAddress
            ?? throw new L1ProtocolException($"eth_getTransactionReceipt: the receipt of contract creation {receipt.TransactionHash} has no contract address") { Method = "eth_getTransactionReceipt" };
        return new ContractDeployment(address, receipt);
    }

    /// <summary>eth_estimateGas for the request from this sender; a revert throws <see cref="L1CallRevertedException"/>.</summary>
    public async Task<ulong> EstimateGasAsync(Address? to, ReadOnlyMemory<byte> data, BigInteger value, CancellationToken cancellationToken = default)
    {
        var call = new CallInput { From = Address.ToString(), To = to?.ToString(), Data = Hex.ToHex(data.Span), Value = new HexBigInteger(value) };
        return (ulong)(await _client.RunAsync("eth_estimateGas", eth => eth.Transactions.EstimateGas.SendRequestAsync(call), cancellationToken).ConfigureAwait(false)).Value;
    }

    private async Task<ulong> EstimateGasLimitAsync(L1TransactionRequest request, CancellationToken cancellationToken)
    {
        var estimate = await EstimateGasAsync(request.To, request.Data, request.Value, cancellationToken).ConfigureAwait(false);
        return estimate + (estimate * (ulong)_options.GasLimitMarginPercent / 100);
    }
}
