using System.Buffers;
using System.Buffers.Binary;

namespace Rollup.Primitives.Compression;

/// <summary>
/// Drives a streaming <see cref="IFrameDecoder"/> over exactly one frame with a hard output limit. Output goes into a
/// buffer of at most the limit; once it is full, a one-byte probe tells "frame ends here" from "frame holds more",
/// so content of exactly the limit is accepted and one byte more is refused without decoding further.
/// </summary>
internal static class FrameDecoding
{
    private const int MaxInitialCapacity = 1 << 20;

    /// <summary>Checks the 4-byte little-endian magic number every supported frame starts with.</summary>
    internal static void RequireMagic(ReadOnlySpan<byte> source, uint magic, CompressionCodecId codec)
    {
        if (source.Length < sizeof(uint))
        {
            throw CompressionFailures.TooShortForMagic(codec, source.Length);
        }
        var found = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (found != magic)
        {
            throw CompressionFailures.BadMagic(codec, found, magic);
        }
    }

    /// <summary>Decodes one frame into <paramref name="destination"/>, whose length is the limit.</summary>
    internal static int DecompressInto<T>(ref T decoder, ReadOnlySpan<byte> source, Span<byte> destination)
        where T : struct, IFrameDecoder
    {
        var declared = decoder.ReadHeader(source, out var read);
        if (declared > destination.Length)
        {
            throw CompressionFailures.DeclaredSizeExceedsLimit(decoder.Codec, declared, destination.Length);
        }
        var target = declared >= 0 ? destination[..(int)declared] : destination;
        var written = 0;
        if (!Pump(ref decoder, source, ref read, target, ref written))
        {
            RefuseMoreOutput(ref decoder, source, ref read, declared, destination.Length);
        }
        CheckEnd(decoder.Codec, source, read, written, declared);
        return written;
    }

    /// <summary>Decodes one frame into a new array of its exact length, refusing content over <paramref name="maxLength"/>.</summary>
    internal static byte[] DecompressToArray<T>(ref T decoder, ReadOnlySpan<byte> source, int maxLength)
        where T : struct, IFrameDecoder
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var declared = decoder.ReadHeader(source, out var read);
        if (declared > maxLength)
        {
            throw CompressionFailures.DeclaredSizeExceedsLimit(decoder.Codec, declared, maxLength);
        }
        if (declared < 0)
        {
            return DecompressUnknownLength(ref decoder, source, read, maxLength);
        }
        // The header's size is at most the limit: allocate exactly that, and hold the frame to it.
        var result = declared == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)declared);
        var written = 0;
        if (!Pump(ref decoder, source, ref read, result, ref written))
        {
            RefuseMoreOutput(ref decoder, source, ref read, declared, maxLength);
        }
        CheckEnd(decoder.Codec, source, read, written, declared);
        return result;
    }

    /// <summary>No declared size: grow a pooled buffer with the real output, doubling up to the limit.</summary>
    private static byte[] DecompressUnknownLength<T>(ref T decoder, ReadOnlySpan<byte> source, int read, int maxLength)
        where T : struct, IFrameDecoder
    {
        var pool = ArrayPool<byte>.Shared;
        var initial = (int)Math.Min(maxLength, Math.Clamp(source.Length * 4L, 256, MaxInitialCapacity));
        var buffer = pool.Rent(initial);
        var written = 0;
        try
        {
            while (!Pump(ref decoder, source, ref read, buffer.AsSpan(0, Math.Min(buffer.Length, maxLength)), ref written))
            {
                if (written >= maxLength)
                {
                    RefuseMoreOutput(ref decoder, source, ref read, -1, maxLength);
                    break;
                }
                var larger = pool.Rent((int)Math.Min(buffer.Length * 2L, maxLength));
                buffer.AsSpan(0, written).CopyTo(larger);
                pool.Return(buffer);
                buffer = larger;
            }
            CheckEnd(decoder.Codec, source, read, written, -1);
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    /// <summary>Decodes until the frame ends (true) or <paramref name="destination"/> is full (false).</summary>
    private static bool Pump<T>(ref T decoder, ReadOnlySpan<byte> source, ref int read, Span<byte> destination, ref int written)
        where T : struct, IFrameDecoder
    {
        while (written < destination.Length)
        {
            var finished = decoder.Decode(source[read..], destination[written..], out var consumed, out var produced);
            read += consumed;
            written += produced;
            if (finished)
            {
                return true;
            }
            if (consumed == 0 && produced == 0)
            {
                // Each call either moves or stops for want of input or output; output is not full here.
                throw read == source.Length
                    ? CompressionFailures.Truncated(decoder.Codec, source.Length)
                    : CompressionFailures.Stalled(decoder.Codec, read);
            }
        }
        return false;
    }

    /// <summary>The output is full: the frame must now end without producing a single byte more.</summary>
    private static void RefuseMoreOutput<T>(ref T decoder, ReadOnlySpan<byte> source, ref int read, long declared, int limit)
        where T : struct, IFrameDecoder
    {
        Span<byte> probe = stackalloc byte[1];
        var extra = 0;
        Pump(ref decoder, source, ref read, probe, ref extra);
        if (extra > 0)
        {
            throw declared >= 0
                ? CompressionFailures.LongerThanDeclared(decoder.Codec, declared)
                : CompressionFailures.LimitExceeded(decoder.Codec, limit);
        }
    }

    private static void CheckEnd(CompressionCodecId codec, ReadOnlySpan<byte> source, int read, int written, long declared)
    {
        if (declared >= 0 && written != declared)
        {
            throw CompressionFailures.ShorterThanDeclared(codec, declared, written);
        }
        if (read < source.Length)
        {
            throw CompressionFailures.TrailingData(codec, read, source.Length - read);
        }
    }
}
