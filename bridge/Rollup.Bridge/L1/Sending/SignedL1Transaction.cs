using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>A transaction signed by Nethereum's EIP-1559 signer: the raw envelope (hex) for eth_sendRawTransaction, and its hash.</summary>
public sealed record SignedL1Transaction(string Raw, Hash256 Hash, ulong Nonce);
