using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>A contract created by a transaction that succeeded.</summary>
public sealed record ContractDeployment(Address Address, L1Receipt Receipt);
