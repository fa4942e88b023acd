using Rollup.Primitives;

namespace Rollup.Bridge.Posting;

/// <summary>
/// Where the settlement contract stands: the next batch it will accept, and the parts of it already posted.
/// The poster reads this rather than trusting its own memory, so it resumes exactly after a crash or an outage.
/// </summary>
public sealed record SettlementStatus(
    ulong NextBatchIndex,
    ulong NextL2Block,
    ulong NextSequence,
    Hash256 LastStateRoot,
    uint PendingParts,
    Hash256 PendingAccumulator,
    bool Frozen);
