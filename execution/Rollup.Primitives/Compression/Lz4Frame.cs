using K4os.Hash.xxHash;

namespace Rollup.Primitives.Compression;

/// <summary>
/// The LZ4 frame format's layout (lz4's doc/lz4_Frame_format.md, version 1.6.x): a magic number, a descriptor
/// (FLG, BD, optional content size and dictionary id, a header checksum), blocks, an end mark, an optional content
/// checksum. <see cref="Lz4FrameCodec"/> writes it and <see cref="Lz4FrameDecoder"/> reads it; K4os supplies the
/// block codec and xxHash32 (its own frame writer records neither the content size nor a content checksum).
/// </summary>
internal static class Lz4Frame
{
    internal const uint Magic = 0x184D2204;

    internal const int Version = 0b01;

    // FLG bits.
    internal const byte BlockIndependence = 1 << 5;
    internal const byte BlockChecksum = 1 << 4;
    internal const byte ContentSize = 1 << 3;
    internal const byte ContentChecksum = 1 << 2;
    internal const byte ReservedFlag = 1 << 1;
    internal const byte DictionaryId = 1 << 0;

    /// <summary>BD's block maximum size id for 64 KiB, the one this codec writes.</summary>
    internal const int BlockSizeId64K = 4;

    internal const int WrittenBlockSize = 64 << 10;

    /// <summary>Magic, FLG, BD, content size, header checksum: the most a written header takes.</summary>
    internal const int MaxWrittenHeaderLength = 4 + 2 + 8 + 1;

    /// <summary>The high bit of a block's size word: the block is stored uncompressed.</summary>
    internal const uint UncompressedBlock = 0x8000_0000;

    /// <summary>The block maximum size a BD byte's id (4 to 7) stands for.</summary>
    internal static int BlockMaxSize(int id) => 1 << (8 + (2 * id));

    /// <summary>The header checksum byte: the second byte of xxHash32 (seed 0) over the descriptor from FLG on.</summary>
    internal static byte HeaderChecksum(ReadOnlySpan<byte> descriptor) => (byte)(XXH32.DigestOf(descriptor) >> 8);
}
