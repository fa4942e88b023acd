using Nethereum.Contracts;
using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.State.Proofs;
using Rollup.Execution.Steps;
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

    /// <summary>
    /// Pays a withdrawal of batch <paramref name="batchIndex"/>, proven by <paramref name="siblings"/> against the
    /// withdrawals root of <paramref name="accounts"/>, the batch's accounts claim opened; <paramref name="drawn"/> are
    /// the held credits its leaf carries, each with the batch that covers it (none for a withdrawal of unheld funds).
    /// </summary>
    public Task<L1Receipt> ClaimWithdrawalAsync(
        ulong batchIndex, ulong l2Block, uint txIndex, Address account, ulong amount, IReadOnlyList<HeldDrawCover> drawn,
        IReadOnlyList<Hash256> siblings, AccountsEnd accounts, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(drawn);
        ArgumentNullException.ThrowIfNull(siblings);
        ArgumentNullException.ThrowIfNull(accounts);
        var draws = drawn.Select(d => (object)new object[] { d.Market, d.L2Block, d.BatchIndex }).ToList();
        return TransactAsync(
            Artifact.EncodeCall("claimWithdrawal", batchIndex, l2Block, txIndex, account.ToString(), amount, draws, siblings.Select(s => s.ToArray()).ToList(), accounts.ToAbi()),
            cancellation);
    }

    /// <summary>
    /// Whether L1 would pay funds held for <paramref name="draw"/>'s market now (docs/disputes.md, rule 5): null if so,
    /// else why not. Waiting can change it: a market claim that fell is re-posted, and a re-posted one pays once Final.
    /// </summary>
    public async Task<string?> HeldCoverMissingAsync(HeldDrawCover draw, CancellationToken cancellation)
    {
        var status = await GetClaimStatusAsync(draw.BatchIndex, DomainId.OfMarket(draw.Market), cancellation).ConfigureAwait(false);
        return status == ClaimStatus.Final ? null : $"market {draw.Market}'s claim in batch {draw.BatchIndex} (holding block {draw.L2Block}) is {status}, not Final";
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

    /// <summary>The escape hatch the settlement deployed, which pays escapes and reclaimed deposits (docs/contract.md, "Escape hatch").</summary>
    public async Task<Address> GetEscapeHatchAsync(CancellationToken cancellation) =>
        Address.Parse(await CallAsync<string>("escapeHatch", BlockParameter.CreateLatest(), cancellation).ConfigureAwait(false));

    /// <summary>Leaves a frozen contract with the caller's account proof and, per market in increasing id, its market record and position proofs.</summary>
    public async Task<L1Receipt> EscapeAsync(AccountProof account, IReadOnlyList<(MarketRecordProof Market, PositionProof Position)> markets, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(markets);
        var proofs = markets.Select(m => (object)new object[]
        {
            m.Market.Market, m.Market.Record, Siblings(m.Market.PathInMarket), m.Position.Record, Siblings(m.Position.PathInMarket), Siblings(m.Market.MarketRootPath),
        }).ToList();
        var hatch = await GetEscapeHatchAsync(cancellation).ConfigureAwait(false);
        return await Transactor.SendAsync(hatch, ContractArtifact.EscapeHatch.EncodeCall("escape", account.Record, Siblings(account.Path), account.MarketsRoot.ToArray(), proofs), cancellation).ConfigureAwait(false);
    }

    private static List<byte[]> Siblings(MerkleProof proof) => proof.Siblings.Select(s => s.ToArray()).ToList();
}

/// <summary>A held credit a withdrawal drew on (market, its L2 block) and the batch through which L1 checks that market's claims: the one holding the block.</summary>
public readonly record struct HeldDrawCover(uint Market, ulong L2Block, ulong BatchIndex);
