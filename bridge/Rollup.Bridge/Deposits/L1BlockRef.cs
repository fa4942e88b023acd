using Rollup.Primitives;

namespace Rollup.Bridge.Deposits;

/// <summary>An L1 block as far as following the chain needs it: where it is and what it builds on.</summary>
public readonly record struct L1BlockRef(ulong Number, Hash256 Hash, Hash256 ParentHash);
