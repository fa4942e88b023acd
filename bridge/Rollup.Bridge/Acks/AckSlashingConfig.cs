using System.Numerics;

namespace Rollup.Bridge.Acks;

/// <summary>
/// The ack slashing contract's constructor values: wei taken from the bond per slashed ack, the burnt share of it in
/// parts per million, and the L1 blocks a bond withdrawal waits (long enough that an ack given before the proposal can
/// still be slashed: the posting interval plus the challenge window, for an omission).
/// </summary>
public sealed record AckSlashingConfig(BigInteger SlashAmount, uint BurnPpm, ulong BondDelayBlocks);
