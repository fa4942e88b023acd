using Rollup.Primitives;

namespace Rollup.Bridge.Deposits;

/// <summary>An entry of L1's deposit queue as L1 holds it now, read at one block: whom it credits, how much, and where it was queued.</summary>
public sealed record DepositQueueEntry(ulong Index, Address L2Account, ulong Amount, ulong L1Block);
