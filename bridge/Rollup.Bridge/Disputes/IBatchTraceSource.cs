using Rollup.Bridge.Validation;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Disputes;

/// <summary>A node's own traces of a committed batch: what its dispute players play from.</summary>
public interface IBatchTraceSource
{
    /// <summary>
    /// Every domain's trace of <paramref name="batch"/> from this node's own execution of its blocks: the accounts domain
    /// and each market the batch claims. Slow (a re-execution): a player builds it once per batch and keeps it.
    /// </summary>
    IReadOnlyDictionary<DomainId, DomainTrace> TracesOf(CommittedBatch batch);
}
