using Rollup.Primitives;
using Rollup.Primitives.Eip712;

namespace Rollup.Execution.Transactions;

/// <summary>The EIP-712 domain of a Rollup chain: bound to its L2 chain id and its L1 settlement contract.</summary>
public static class RollupDomain
{
    public const string Name = "Rollup";
    public const string Version = "1";

    public static Eip712Domain Create(ulong chainId, Address settlementContract) =>
        new(Name, Version, chainId, settlementContract);
}
