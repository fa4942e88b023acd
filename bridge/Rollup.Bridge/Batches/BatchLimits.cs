namespace Rollup.Bridge.Batches;

/// <summary>
/// Hard bounds a decoder enforces before it allocates: a batch posted to L1 is untrusted input to every
/// validator. The defaults fit a batch of a few seconds of a busy venue many times over.
/// </summary>
public sealed record BatchLimits
{
    public static BatchLimits Default { get; } = new();

    /// <summary>Bytes of one frame as posted (all parts joined), compressed.</summary>
    public int MaxFrameBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Bytes of the payload once decompressed.</summary>
    public int MaxPayloadBytes { get; init; } = 64 * 1024 * 1024;

    public int MaxBlocks { get; init; } = 100_000;

    public int MaxTransactions { get; init; } = 1_000_000;

    /// <summary>Parts one batch may be split into (one L1 transaction each).</summary>
    public int MaxParts { get; init; } = 1024;
}
