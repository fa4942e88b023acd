using Rollup.Primitives;

namespace Rollup.Bridge.Validation;

/// <summary>What a validator reads from L1: committed batches with their data, and the deposit queue.</summary>
public interface IBatchSource
{
    /// <summary>Batch <paramref name="batchIndex"/> once its commitment is deep enough to follow, else null.</summary>
    Task<CommittedBatch?> GetCommittedBatchAsync(ulong batchIndex, CancellationToken cancellation);

    /// <summary>Batch <paramref name="batchIndex"/>'s commitment alone, on the same terms (a source may read it more cheaply than the whole batch).</summary>
    async Task<Batches.BatchCommitment?> GetCommitmentAsync(ulong batchIndex, CancellationToken cancellation) =>
        (await GetCommittedBatchAsync(batchIndex, cancellation).ConfigureAwait(false))?.Commitment;

    /// <summary>How many batches L1 holds committed (followable or not yet): what a validator catching up reports against.</summary>
    Task<ulong> GetCommittedBatchCountAsync(CancellationToken cancellation);

    /// <summary>
    /// Every re-post of a domain's claims after a fall (docs/disputes.md, "Finality"), oldest first: a batch's claim of a
    /// domain is its latest re-post's, if any. A source without the finality tie-in has none.
    /// </summary>
    Task<IReadOnlyList<Settlement.RepostedClaims>> GetRepostsAsync(CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<Settlement.RepostedClaims>>([]);

    /// <summary>Deposit <paramref name="index"/> of the L1 queue, or null if the queue is shorter.</summary>
    Task<(Address L2Account, ulong Amount)?> GetQueuedDepositAsync(ulong index, CancellationToken cancellation);
}
