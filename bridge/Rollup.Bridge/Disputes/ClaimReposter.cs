using Microsoft.Extensions.Logging;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// What the sequencer does after one of its claims fell (docs/disputes.md, "Finality"): its domain is void from that
/// batch on until the sequencer re-posts the domain's claims from there to its last committed batch. The claims
/// re-posted are its own traces', starts included (the data on L1 stays; only the roots were wrong): a claim felled for
/// its broken start is re-posted from the sound one (L1 holds batch 0's re-post to the fallen claim's start alone).
/// It re-posts after a lost game and after a claim felled at once alike (<see cref="DefenseRunner"/>).
/// </summary>
public sealed partial class ClaimReposter(SettlementClient settlement, IBatchTraceSource traces, ILogger logger)
{
    /// <summary>Re-posts made since the node started.</summary>
    public long Reposts { get; private set; }

    /// <summary>Re-posts <paramref name="domain"/>'s claims from <paramref name="batchIndex"/> on if L1 says its claim there fell; true when it did.</summary>
    public async Task<bool> RepostIfFallenAsync(ulong batchIndex, DomainId domain, CancellationToken cancellation)
    {
        if (await settlement.GetClaimStatusAsync(batchIndex, domain, cancellation).ConfigureAwait(false) != ClaimStatus.Fallen)
        {
            return false;
        }
        var (fallen, siblings) = await FallenClaimAsync(batchIndex, domain, cancellation).ConfigureAwait(false);
        var count = await settlement.GetCommittedBatchCountAsync(cancellation).ConfigureAwait(false);
        var claims = new List<DomainClaim>();
        for (var b = batchIndex; b < count; b++)
        {
            var batch = await settlement.GetCommittedBatchAsync(b, cancellation).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"batch {b} is counted on L1 but not found");
            var ours = await Task.Run(() => traces.TracesOf(batch), cancellation).ConfigureAwait(false);
            claims.Add(ours.TryGetValue(domain, out var trace)
                ? trace.Claim
                : throw new InvalidOperationException($"batch {b} has no {domain} claim of ours to re-post (a batch claiming the accounts domain alone)"));
        }
        await settlement.RepostClaimsAsync(domain, batchIndex, fallen, siblings, claims, cancellation).ConfigureAwait(false);
        Reposts++;
        LogReposted(domain.ToString(), batchIndex, claims.Count, fallen.Start.ToString(), fallen.End.ToString(), claims[0].Start.ToString(), claims[0].End.ToString());
        return true;
    }

    /// <summary>
    /// The fallen claim as L1 holds it: its latest re-post (proven with no siblings), else as committed with its proof in
    /// the claims root; none for a claim the batch was missing (L1 reads the fallen claim only for batch 0).
    /// </summary>
    private async Task<(DomainClaim Claim, IReadOnlyList<Hash256> Siblings)> FallenClaimAsync(ulong batchIndex, DomainId domain, CancellationToken cancellation)
    {
        var committed = await settlement.GetCommittedBatchAsync(batchIndex, cancellation).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"batch {batchIndex} is not on L1");
        var reposts = await settlement.GetRepostsAsync(cancellation).ConfigureAwait(false);
        if (StandingClaims.Of(batchIndex, committed.Claims, reposts).ClaimOf(domain) is null)
        {
            return (default, []);
        }
        var claim = DisputedClaim.AsItStands(committed, reposts, domain);
        return (claim.Posted, claim.Siblings);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "defender: the {Domain} claim of batch {Batch} fell: re-posted the domain's claims of {Count} batches from it, our own (the fallen claim from {FallenStart} to {Fallen}, ours from {OursStart} to {Ours})")]
    private partial void LogReposted(string domain, ulong batch, int count, string fallenStart, string fallen, string oursStart, string ours);
}
