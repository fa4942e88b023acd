using System.Buffers.Binary;
using System.Numerics;

namespace Rollup.Primitives.Tests.Compression;

/// <summary>
/// Hand-built and patched frame headers, written from the format specifications (lz4_Frame_format.md,
/// RFC 8878) rather than with the libraries under test.
/// </summary>
internal static class FrameHeaders
{
    /// <summary>An LZ4 frame of independent 64 KiB blocks that declares <paramref name="contentSize"/> and holds nothing.</summary>
    public static byte[] Lz4DeclaringContentSize(ulong contentSize)
    {
        var frame = new byte[4 + 2 + 8 + 1 + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 0x184D2204);
        frame[4] = 0x40 | 0x20 | 0x08; // version 01, independent blocks, content size present
        frame[5] = 0x40;               // 64 KiB blocks
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(6), contentSize);
        frame[14] = Lz4HeaderChecksum(frame.AsSpan(4, 10));
        // End mark (a zero block size) follows; the frame is a lie about its size.
        return frame;
    }

    /// <summary>Rewrites the content size of an LZ4 frame that records one (as ours do), fixing the header checksum.</summary>
    public static byte[] Lz4WithContentSize(byte[] frame, ulong contentSize)
    {
        if ((frame[4] & 0x08) == 0 || (frame[4] & 0x01) != 0)
        {
            throw new ArgumentException("frame has no content size field, or has a dictionary id", nameof(frame));
        }
        var patched = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(patched.AsSpan(6), contentSize);
        patched[14] = Lz4HeaderChecksum(patched.AsSpan(4, 10));
        return patched;
    }

    /// <summary>The LZ4 header checksum: the second byte of XXH32 (seed 0) over the frame descriptor.</summary>
    public static byte Lz4HeaderChecksum(ReadOnlySpan<byte> descriptor) => (byte)(Xxh32(descriptor, 0) >> 8);

    /// <summary>A zstd frame header declaring <paramref name="contentSize"/> in an 8-byte field, then one empty last raw block.</summary>
    public static byte[] ZstdDeclaringContentSize(ulong contentSize)
    {
        var frame = new byte[4 + 1 + 1 + 8 + 3];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 0xFD2FB528);
        frame[4] = 0xC0;  // Frame_Content_Size_flag 3 (8 bytes), no single segment, no checksum, no dictionary
        frame[5] = 0x58;  // window descriptor: exponent 11 → 2 MiB window
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(6), contentSize);
        frame[14] = 0x01; // block header: last block, raw, size 0
        return frame;
    }

    /// <summary>Rewrites the 4-byte content size of a single-segment zstd frame (as ours are for 65,792 B .. 4 GiB).</summary>
    public static byte[] ZstdWithContentSize(byte[] frame, uint contentSize)
    {
        if ((frame[4] & 0xE3) != 0xA0)
        {
            throw new ArgumentException("frame is not single-segment with a 4-byte content size and no dictionary", nameof(frame));
        }
        var patched = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(5), contentSize);
        return patched;
    }

    /// <summary>XXH32, as the LZ4 frame format specifies it.</summary>
    public static uint Xxh32(ReadOnlySpan<byte> input, uint seed)
    {
        const uint Prime1 = 2654435761U, Prime2 = 2246822519U, Prime3 = 3266489917U, Prime4 = 668265263U, Prime5 = 374761393U;
        var length = input.Length;
        uint hash;
        if (length >= 16)
        {
            uint v1 = seed + Prime1 + Prime2, v2 = seed + Prime2, v3 = seed, v4 = seed - Prime1;
            while (input.Length >= 16)
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt32LittleEndian(input));
                v2 = Round(v2, BinaryPrimitives.ReadUInt32LittleEndian(input[4..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt32LittleEndian(input[8..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt32LittleEndian(input[12..]));
                input = input[16..];
            }
            hash = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
        }
        else
        {
            hash = seed + Prime5;
        }
        hash += (uint)length;
        while (input.Length >= 4)
        {
            hash = BitOperations.RotateLeft(hash + (BinaryPrimitives.ReadUInt32LittleEndian(input) * Prime3), 17) * Prime4;
            input = input[4..];
        }
        foreach (var b in input)
        {
            hash = BitOperations.RotateLeft(hash + (b * Prime5), 11) * Prime1;
        }
        hash ^= hash >> 15;
        hash *= Prime2;
        hash ^= hash >> 13;
        hash *= Prime3;
        hash ^= hash >> 16;
        return hash;

        static uint Round(uint accumulator, uint lane) => BitOperations.RotateLeft(accumulator + (lane * Prime2), 13) * Prime1;
    }
}
