using Rollup.Execution.Steps;
using Rollup.Bridge.Batches;

namespace Rollup.Bridge.Posting;

/// <summary>
/// The settlement contract as the poster uses it. Each call returns once its L1 transaction is mined and
/// succeeded; a revert is an <see cref="L1RevertedException"/>, an unreachable L1 any other exception.
/// </summary>
public interface IBatchSink
{
    Task<SettlementStatus> GetStatusAsync(CancellationToken cancellation);

    Task PostPartAsync(ulong batchIndex, uint part, ReadOnlyMemory<byte> data, CancellationToken cancellation);

    /// <summary>Posts parts <paramref name="firstPart"/>.. in order; an implementation may send them without waiting for each.</summary>
    async Task PostPartsAsync(ulong batchIndex, uint firstPart, IReadOnlyList<ReadOnlyMemory<byte>> parts, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(parts);
        for (var i = 0; i < parts.Count; i++)
        {
            await PostPartAsync(batchIndex, firstPart + (uint)i, parts[i], cancellation).ConfigureAwait(false);
        }
    }

    Task DiscardPendingAsync(CancellationToken cancellation);

    /// <summary>Commits the batch with the claims its claims root is the tree of (L1 checks they make it).</summary>
    Task CommitAsync(BatchCommitment commitment, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims, CancellationToken cancellation);
}

/// <summary>An L1 transaction was mined but reverted: the contract refused it, with its reason.</summary>
public sealed class L1RevertedException : Exception
{
    public L1RevertedException(string message)
        : base(message)
    {
    }

    public L1RevertedException()
    {
    }

    public L1RevertedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
