using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;

namespace Rollup.Bridge.Settlement;

/// <summary>A domain's claim as the settlement contract rules on it once it has a dispute game (docs/disputes.md, "Finality").</summary>
public enum ClaimStatus : byte
{
    None,
    Pending,
    Disputed,
    Final,
    Fallen,
    Void,
    Held,
}

/// <summary>The finality tie-in as the nodes use it: the contract's dispute game, claims' statuses, and re-posts of a domain's claims after a fall.</summary>
public sealed partial class SettlementClient
{
    /// <summary>The dispute game the contract takes game hooks from (<see cref="Address.Zero"/>: none, batches final by their window alone).</summary>
    public async Task<Address> GetDisputeGameAsync(CancellationToken cancellation) =>
        Address.Parse(await CallAsync<string>("disputeGame", BlockParameter.CreateLatest(), cancellation).ConfigureAwait(false));

    /// <summary>The operator's proposal of a dispute game, executable after the time lock (<see cref="ExecuteDisputeGameAsync"/>).</summary>
    public Task ProposeDisputeGameAsync(Address game, CancellationToken cancellation) =>
        TransactAsync(Artifact.EncodeCall("proposeDisputeGame", game.ToString()), cancellation);

    /// <summary>Makes the proposed dispute game the contract's (anyone, once the time lock has passed).</summary>
    public Task ExecuteDisputeGameAsync(CancellationToken cancellation) =>
        TransactAsync(Artifact.EncodeCall("executeDisputeGame"), cancellation);

    public async Task<ClaimStatus> GetClaimStatusAsync(ulong batchIndex, DomainId domain, CancellationToken cancellation) =>
        (ClaimStatus)await CallAsync<byte>("claimStatus", BlockParameter.CreateLatest(), cancellation, batchIndex, domain.Kind, domain.Market).ConfigureAwait(false);

    /// <summary>
    /// The sequencer re-posts <paramref name="domain"/>'s claims from the batch whose claim fell to the last committed
    /// (<c>repostClaims</c>): <paramref name="fallen"/> as it was posted, with its proof in that batch's claims root (empty
    /// for a re-posted one), and one claim per batch. The contract holds a re-post from batch 0 to the fallen claim's
    /// start; a later batch's start is any, held to the claim before by <c>proveStartBroken</c>.
    /// </summary>
    public Task RepostClaimsAsync(
        DomainId domain, ulong fromBatch, DomainClaim fallen, IReadOnlyList<Hash256> fallenSiblings, IReadOnlyList<DomainClaim> claims, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(fallenSiblings);
        ArgumentNullException.ThrowIfNull(claims);
        object[] replaced = [fallen.End.ToArray(), fallen.Steps, fallenSiblings.Select(s => s.ToArray()).ToList()];
        var reposted = claims.Select(c => new object[] { c.Start.ToArray(), c.End.ToArray(), c.Steps }).ToList();
        return TransactAsync(Artifact.EncodeCall("repostClaims", domain.Kind, domain.Market, fromBatch, replaced, reposted), cancellation);
    }

    /// <summary>
    /// Every re-post L1 holds at the followed depth, oldest first: for each, the domain, the first batch and one claim per
    /// batch from it (from the <c>ClaimsReposted</c> logs and their transactions' calldata). A later re-post of a batch
    /// replaces an earlier one.
    /// </summary>
    public async Task<IReadOnlyList<RepostedClaims>> GetRepostsAsync(CancellationToken cancellation)
    {
        var head = await _l1.GetBlockNumberAsync(cancellation).ConfigureAwait(false);
        if (head < (ulong)Confirmations)
        {
            return [];
        }
        var filter = Artifact.Event("ClaimsReposted").CreateFilterInput(Contract.ToString(), new BlockParameter(FromBlock), new BlockParameter(head - (ulong)Confirmations));
        var logs = await _l1.GetLogsAsync(filter, cancellation).ConfigureAwait(false);
        var reposts = new List<RepostedClaims>(logs.Length);
        foreach (var log in logs.OrderBy(l => (ulong)l.BlockNumber.Value).ThenBy(l => (ulong)l.LogIndex.Value))
        {
            var call = (await TransactionOfAsync(log, "ClaimsReposted", cancellation).ConfigureAwait(false)).DecodeTransactionToFunctionMessage<RepostClaimsFunction>();
            reposts.Add(new RepostedClaims(
                new DomainId(call.Kind, call.Market), call.FromBatch,
                [.. call.Claims.Select(c => new DomainClaim(new Hash256(c.Start), new Hash256(c.End), c.Steps))], (ulong)log.BlockNumber.Value));
        }
        return reposts;
    }
}

/// <summary>One re-post of a domain's claims: the claim of batch <see cref="FromBatch"/> + i is <see cref="Claims"/>[i].</summary>
public sealed record RepostedClaims(DomainId Domain, ulong FromBatch, IReadOnlyList<DomainClaim> Claims, ulong L1Block)
{
    /// <summary>The claim this re-post makes for batch <paramref name="batchIndex"/>, or null if it does not cover that batch.</summary>
    public DomainClaim? ClaimOf(ulong batchIndex) =>
        batchIndex >= FromBatch && batchIndex - FromBatch < (ulong)Claims.Count ? Claims[(int)(batchIndex - FromBatch)] : null;
}
