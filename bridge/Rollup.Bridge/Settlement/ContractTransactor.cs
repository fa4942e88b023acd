using System.Numerics;
using Microsoft.Extensions.Logging;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>
/// Sends one contract call at a time from one key and sees it mined: the nonce is the account's mined count,
/// so a transaction left pending by a previous run is replaced rather than queued behind; a transaction not
/// mined within <see cref="StuckAfter"/> is sent again with the same nonce and fees raised by a quarter (above
/// the 10 % replacement bump nodes require); whichever version the chain mines is the one whose receipt counts. A refusal (the call reverts in estimation or on chain) becomes an
/// <see cref="L1RevertedException"/> with the contract's error decoded.
/// </summary>
public sealed partial class ContractTransactor
{
    private const int MaxBumps = 8;
    private readonly L1Client _l1;
    private readonly TransactionSender _sender;
    private readonly ContractArtifact _artifact;
    private readonly ILogger _logger;

    public ContractTransactor(L1Client l1, TransactionSender sender, ContractArtifact artifact, ILogger logger)
    {
        _l1 = l1;
        _sender = sender;
        _artifact = artifact;
        _logger = logger;
    }

    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many L1 blocks a mined count short of a waiting transaction's nonce may last before it is a gap.</summary>
    public ulong GapBlocks { get; init; } = 2;

    private static readonly TimeSpan CountEvery = TimeSpan.FromMilliseconds(500);

    public Address From => _sender.Address;

    public long GasUsed { get; private set; }

    public long FeeBumps { get; private set; }

    public async Task<L1Receipt> SendAsync(Address to, byte[] calldata, CancellationToken cancellation)
    {
        using var turn = await _sender.TakeTurnAsync(cancellation).ConfigureAwait(false);
        return await SendOneAsync(to, calldata, cancellation).ConfigureAwait(false);
    }

    private async Task<L1Receipt> SendOneAsync(Address to, byte[] calldata, CancellationToken cancellation)
    {
        var gas = await GasLimitAsync(to, calldata, cancellation).ConfigureAwait(false);
        var nonce = await _l1.GetTransactionCountAsync(From, BlockParameter.CreateLatest(), cancellation).ConfigureAwait(false);
        var fees = await _sender.EstimateFeesAsync(cancellation).ConfigureAwait(false);
        var (maxFee, tip) = (fees.MaxFeePerGas, BigInteger.Max(fees.MaxPriorityFeePerGas, 1));
        // Every version sent for this nonce: whichever of them the chain mined is the one that counts.
        var sent = new List<Hash256>();
        for (var attempt = 0; ; attempt++)
        {
            var request = new L1TransactionRequest { To = to, Data = calldata, Nonce = nonce, GasLimit = gas, MaxFeePerGas = maxFee, MaxPriorityFeePerGas = tip };
            try
            {
                sent.Add((await _sender.SendAsync(request, cancellation).ConfigureAwait(false)).Hash);
            }
            catch (L1RpcException error) when (IsReplacementRefused(error) && attempt < MaxBumps)
            {
                LogBump(nonce, error.RpcMessage);
            }
            catch (L1RpcException error) when (IsNonceUsed(error) && sent.Count > 0)
            {
                // A block took an earlier version while this one was on its way: its receipt is found below.
                LogNonceUsed(nonce, error.RpcMessage);
            }
            if (sent.Count > 0)
            {
                if (await WaitAsync(sent, nonce, Describe(calldata), cancellation).ConfigureAwait(false) is { } receipt)
                {
                    return Landed(receipt, calldata);
                }
                var mined = await _l1.GetTransactionCountAsync(From, BlockParameter.CreateLatest(), cancellation).ConfigureAwait(false);
                if (mined < nonce)
                {
                    // An L1 reorg dropped transactions of ours mined before this one: it waits behind a gap that raising
                    // its fees never fills. The caller goes back to what L1 now says and sends again from its count.
                    LogNonceGap(nonce, mined);
                    throw new L1NonceGapException($"{Describe(calldata)} at nonce {nonce} waits behind a gap: L1 now counts {mined} transactions of {From} (a reorg dropped some); re-reading L1");
                }
                if (mined > nonce)
                {
                    // Mined between the last look and the count, or another transaction of ours (one sent before a restart) took the nonce.
                    if (await FindReceiptAsync(sent, cancellation).ConfigureAwait(false) is { } late)
                    {
                        return Landed(late, calldata);
                    }
                    throw new L1RevertedException($"nonce {nonce} was used by another transaction of {From}; re-reading L1");
                }
                if (attempt >= MaxBumps)
                {
                    throw new TimeoutException($"{Describe(calldata)} not mined after {MaxBumps} fee bumps");
                }
                LogStuck(sent[^1].ToString(), nonce, StuckAfter.TotalSeconds);
            }
            maxFee = maxFee * 5 / 4 + 1;
            tip = tip * 5 / 4 + 1;
            FeeBumps++;
        }
    }

    /// <summary>The estimate plus a fifth; a call the estimate reverts is refused with the contract's error decoded.</summary>
    private async Task<ulong> GasLimitAsync(Address to, byte[] calldata, CancellationToken cancellation)
    {
        try
        {
            var estimate = await _sender.EstimateGasAsync(to, calldata, 0, cancellation).ConfigureAwait(false);
            return estimate + (estimate / 5);
        }
        catch (L1CallRevertedException reverted)
        {
            throw new L1RevertedException($"{Describe(calldata)} refused: {reverted.DecodeReason(_artifact.Errors)}", reverted);
        }
    }

    private L1Receipt Landed(L1Receipt receipt, byte[] calldata)
    {
        GasUsed += (long)receipt.GasUsed;
        return receipt.Succeeded
            ? receipt
            : throw new L1RevertedException($"{Describe(calldata)} reverted on chain in block {receipt.BlockNumber} (transaction {receipt.TransactionHash})");
    }

    /// <summary>
    /// Sends calls that must land in order, without waiting for one to be mined before sending the next:
    /// consecutive nonces from the account's mined count, every call with the gas the first one needs (the
    /// largest, callers put it first) and the same fees. Returns when all are mined and succeeded. One not mined in
    /// time or reverted throws, and the caller goes back to what L1 says (nothing is half-applied: the
    /// contract takes only the next call in order).
    /// </summary>
    public async Task<IReadOnlyList<L1Receipt>> SendInOrderAsync(Address to, IReadOnlyList<byte[]> calldatas, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(calldatas);
        using var turn = await _sender.TakeTurnAsync(cancellation).ConfigureAwait(false);
        if (calldatas.Count == 1)
        {
            return [await SendOneAsync(to, calldatas[0], cancellation).ConfigureAwait(false)];
        }
        var gas = await GasLimitAsync(to, calldatas[0], cancellation).ConfigureAwait(false);
        var nonce = await _l1.GetTransactionCountAsync(From, BlockParameter.CreateLatest(), cancellation).ConfigureAwait(false);
        var fees = await _sender.EstimateFeesAsync(cancellation).ConfigureAwait(false);
        var tip = BigInteger.Max(fees.MaxPriorityFeePerGas, 1);
        var hashes = new List<Hash256>(calldatas.Count);
        for (var i = 0; i < calldatas.Count; i++)
        {
            var request = new L1TransactionRequest { To = to, Data = calldatas[i], Nonce = nonce + (ulong)i, GasLimit = gas, MaxFeePerGas = fees.MaxFeePerGas, MaxPriorityFeePerGas = tip };
            hashes.Add((await _sender.SendAsync(request, cancellation).ConfigureAwait(false)).Hash);
        }
        var receipts = new List<L1Receipt>(hashes.Count);
        for (var i = 0; i < hashes.Count; i++)
        {
            var hash = hashes[i];
            var receipt = await WaitAsync([hash], nonce + (ulong)i, Describe(calldatas[i]), cancellation).ConfigureAwait(false)
                ?? throw new TimeoutException($"transaction {hash} of a run of {hashes.Count} not mined within {StuckAfter.TotalSeconds:0} s; re-reading L1");
            receipts.Add(Landed(receipt, calldatas[receipts.Count]));
        }
        return receipts;
    }

    /// <summary>
    /// Polls for a receipt of any of <paramref name="hashes"/> (all at <paramref name="nonce"/>) until <see cref="StuckAfter"/>;
    /// null if none came. Every half second it also counts the account's mined transactions: a count below the nonce that
    /// stays below while L1 mines <see cref="GapBlocks"/> more blocks is a gap a reorg left (the dropped transactions are
    /// not coming back), said at once as an <see cref="L1NonceGapException"/> instead of after the whole wait.
    /// </summary>
    private async Task<L1Receipt?> WaitAsync(IReadOnlyList<Hash256> hashes, ulong nonce, string what, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + StuckAfter;
        var nextCount = DateTime.UtcNow + CountEvery;
        ulong? shortSince = null;
        while (true)
        {
            var receipt = await FindReceiptAsync(hashes, cancellation).ConfigureAwait(false);
            if (receipt is not null || DateTime.UtcNow >= deadline)
            {
                return receipt;
            }
            if (DateTime.UtcNow >= nextCount)
            {
                nextCount = DateTime.UtcNow + CountEvery;
                shortSince = await CheckGapAsync(nonce, shortSince, what, cancellation).ConfigureAwait(false);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The L1 block from which the mined count has been short of <paramref name="nonce"/>, or null when it is not.</summary>
    private async Task<ulong?> CheckGapAsync(ulong nonce, ulong? shortSince, string what, CancellationToken cancellation)
    {
        var mined = await _l1.GetTransactionCountAsync(From, BlockParameter.CreateLatest(), cancellation).ConfigureAwait(false);
        if (mined >= nonce)
        {
            return null;
        }
        var head = await _l1.GetBlockNumberAsync(cancellation).ConfigureAwait(false);
        if (shortSince is not { } since)
        {
            return head;
        }
        if (head < since + GapBlocks)
        {
            return since;
        }
        LogNonceGap(nonce, mined);
        throw new L1NonceGapException($"{what} at nonce {nonce} waits behind a gap: L1 now counts {mined} transactions of {From} (a reorg dropped some) and mined {head - since} blocks without them; re-reading L1");
    }

    private async Task<L1Receipt?> FindReceiptAsync(IReadOnlyList<Hash256> hashes, CancellationToken cancellation)
    {
        foreach (var hash in hashes)
        {
            if (await _l1.GetReceiptAsync(hash, cancellation).ConfigureAwait(false) is { } receipt)
            {
                return receipt;
            }
        }
        return null;
    }

    private static bool IsNonceUsed(L1RpcException error) =>
        error.RpcMessage.Contains("nonce too low", StringComparison.OrdinalIgnoreCase);

    private static bool IsReplacementRefused(L1RpcException error) =>
        error.RpcMessage.Contains("underpriced", StringComparison.OrdinalIgnoreCase)
        || error.RpcMessage.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || error.RpcMessage.Contains("already imported", StringComparison.OrdinalIgnoreCase);

    private string Describe(byte[] calldata) => _artifact.FunctionNameOf(calldata);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 transaction {Hash} (nonce {Nonce}) not mined after {Seconds} s: sending it again with higher fees")]
    private partial void LogStuck(string hash, ulong nonce, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "L1 refused a transaction at nonce {Nonce} ({Reason}): raising fees")]
    private partial void LogBump(ulong nonce, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 transaction at nonce {Nonce} not mined and L1 counts only {Mined} transactions of ours: a reorg dropped earlier ones; giving it up to send again from the count")]
    private partial void LogNonceGap(ulong nonce, ulong mined);

    [LoggerMessage(Level = LogLevel.Information, Message = "L1 refused a replacement at nonce {Nonce} ({Reason}): an earlier version was mined, looking for its receipt")]
    private partial void LogNonceUsed(ulong nonce, string reason);
}
