using Rollup.Primitives;

namespace Rollup.Bridge.Deposits;

/// <summary>What the L2 credited at queue index <see cref="Index"/>.</summary>
public sealed record CreditedDeposit(ulong Index, Address L2Account, ulong Amount);
