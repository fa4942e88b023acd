using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Batches;

/// <summary>
/// A frame cut into parts that each fit one L1 transaction, and the accumulator the settlement contract
/// keeps over them: acc₀ = 0, accᵢ₊₁ = keccak256(accᵢ ‖ keccak256(partᵢ)); the last is the batch data hash.
/// </summary>
public static class BatchParts
{
    /// <summary>Below the 128 KiB transaction size most L1 nodes accept, leaving room for the call's other arguments.</summary>
    public const int DefaultMaxPartBytes = 120 * 1024;

    public static IReadOnlyList<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> frame, int maxPartBytes = DefaultMaxPartBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPartBytes, 1);
        if (frame.IsEmpty)
        {
            throw new ArgumentException("an empty frame has no parts", nameof(frame));
        }
        var parts = new List<ReadOnlyMemory<byte>>((frame.Length + maxPartBytes - 1) / maxPartBytes);
        for (var at = 0; at < frame.Length; at += maxPartBytes)
        {
            parts.Add(frame.Slice(at, Math.Min(maxPartBytes, frame.Length - at)));
        }
        return parts;
    }

    public static Hash256 Accumulate(in Hash256 accumulator, ReadOnlySpan<byte> part)
    {
        Span<byte> input = stackalloc byte[64];
        accumulator.CopyTo(input);
        Keccak256.Compute(part).CopyTo(input[32..]);
        return Keccak256.Compute(input);
    }

    public static Hash256 DataHash(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var accumulator = Hash256.Zero;
        foreach (var part in parts)
        {
            accumulator = Accumulate(accumulator, part.Span);
        }
        return accumulator;
    }

    /// <summary>The frame again, refusing more parts or bytes than the limits allow before copying anything.</summary>
    public static byte[] Join(IReadOnlyList<ReadOnlyMemory<byte>> parts, BatchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(limits);
        if (parts.Count == 0 || parts.Count > limits.MaxParts)
        {
            throw new BatchFormatException($"a batch has 1 to {limits.MaxParts} parts, not {parts.Count}");
        }
        long total = 0;
        foreach (var part in parts)
        {
            total += part.Length;
        }
        if (total > limits.MaxFrameBytes)
        {
            throw new BatchFormatException($"parts of {total} bytes exceed the frame limit of {limits.MaxFrameBytes}");
        }
        var frame = new byte[total];
        var at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(frame.AsSpan(at));
            at += part.Length;
        }
        return frame;
    }
}
