using System.Numerics;

namespace Rollup.Bridge.L1;

/// <summary>The fees of an EIP-1559 transaction: maxFee = 2 · next base fee + tip, which stays includable while the base fee rises by up to 12.5% a block for about six full blocks in a row.</summary>
public sealed record L1Fees(BigInteger NextBaseFeePerGas, BigInteger MaxPriorityFeePerGas, BigInteger MaxFeePerGas);
