using Nethereum.Contracts;
using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.State.Proofs;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>Withdrawal claims, the freeze and the escape hatch (the withdraw tool and tests).</summary>
public sealed partial class SettlementClient
{
    /// <summary>The committed batch whose blocks include <paramref name="l2Block"/>: its index, block range, the commitment's withdrawals root and its first sequence, or null.</summary>
    public async Task<(ulong BatchIndex, ulong FirstBlock, ulong LastBlock, Hash256 WithdrawalsRoot, ulong FirstSequence)?> FindBatchAsync(ulong l2Block, CancellationToken cancellation) =>
        await FindCommittedAsync(c => c.FirstBlock <= l2Block && l2Block <= c.LastBlock, cancellation).ConfigureAwait(false) is { } committed
            ? (committed.BatchIndex, committed.FirstBlock, committed.LastBlock, new Hash256(committed.WithdrawalsRoot), committed.FirstSequence)
            : null;

    /// <summary>The L1 block from which batch <paramref name="batchIndex"/> is final (docs/contract.md, <c>batch(i).finalAt</c>).</summary>
    public async Task<ulong> GetFinalAtAsync(ulong batchIndex, CancellationToken cancellation) =>
        (await GetBatchAsync(batchIndex, cancellation).ConfigureAwait(false)).FinalAt;

    public Task<bool> IsFinalizedAsync(ulong batchIndex, CancellationToken cancellation) =>
        CallAsync<bool>("isFinalized", BlockParameter.CreateLatest(), cancellation, batchIndex);

    public async Task<bool> IsClaimedAsync(ulong l2Block, uint txIndex, CancellationToken cancellation)
    {
        var block = await PinnedBlockAsync(cancellation).ConfigureAwait(false);
        var key = await CallAsync<byte[]>("withdrawalKey", block, cancellation, l2Block, txIndex).ConfigureAwait(false);
        return await CallAsync<bool>("claimed", block, cancellation, key).ConfigureAwait(false);
    }

    /// <summary>Pays a withdrawal of batch <paramref name="batchIndex"/>, proven by <paramref name="siblings"/> against the withdrawals root of <paramref name="accounts"/>, the batch's accounts claim opened.</summary>
    public Task<L1Receipt> ClaimWithdrawalAsync(
        ulong batchIndex, ulong l2Block, uint txIndex, Address account, ulong amount, IReadOnlyList<Hash256> siblings, AccountsEnd accounts, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(siblings);
        ArgumentNullException.ThrowIfNull(accounts);
        return TransactAsync(
            Artifact.EncodeCall("claimWithdrawal", batchIndex, l2Block, txIndex, account.ToString(), amount, siblings.Select(s => s.ToArray()).ToList(), accounts.ToAbi()),
            cancellation);
    }

    /// <summary>
    /// Batch <paramref name="batchIndex"/>'s accounts claim as it stands on L1 (committed, or re-posted), opened with
    /// <paramref name="endWords"/>; null with the reason if the batch is unknown or the words are not its end.
    /// </summary>
    public async Task<(AccountsEnd? Opened, string? Reason)> OpenAccountsEndAsync(ulong batchIndex, byte[] endWords, CancellationToken cancellation)
    {
        if (await GetCommittedBatchAsync(batchIndex, cancellation).ConfigureAwait(false) is not { } committed)
        {
            return (null, $"batch {batchIndex} is not committed on L1");
        }
        var reposts = await GetRepostsAsync(cancellation).ConfigureAwait(false);
        return AccountsEnd.Open(Disputes.StandingClaims.Of(batchIndex, committed.Claims, reposts), endWords);
    }

    public Task<L1Receipt> FreezeAsync(CancellationToken cancellation) =>
        TransactAsync(Artifact.EncodeCall("freeze"), cancellation);

    public async Task<Hash256> GetEscapeStateRootAsync(CancellationToken cancellation) =>
        new(await CallAsync<byte[]>("escapeStateRoot", BlockParameter.CreateLatest(), cancellation).ConfigureAwait(false));

    /// <summary>Leaves a frozen contract with the caller's account proof and, per market in increasing id, its market record and position proofs.</summary>
    public Task<L1Receipt> EscapeAsync(AccountProof account, IReadOnlyList<(MarketRecordProof Market, PositionProof Position)> markets, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(markets);
        var proofs = markets.Select(m => (object)new object[]
        {
            m.Market.Market, m.Market.Record, Siblings(m.Market.PathInMarket), m.Position.Record, Siblings(m.Position.PathInMarket), Siblings(m.Market.MarketRootPath),
        }).ToList();
        return TransactAsync(Artifact.EncodeCall("escape", account.Record, Siblings(account.Path), account.MarketsRoot.ToArray(), proofs), cancellation);
    }

    private static List<byte[]> Siblings(MerkleProof proof) => proof.Siblings.Select(s => s.ToArray()).ToList();
}
