using System.Runtime.InteropServices;

namespace Rollup.Primitives.Compression.Native;

/// <summary><c>LZ4F_frameInfo_t</c>: C enums are 4-byte ints on x86-64 and arm64 Linux; 32 bytes in all.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Lz4FrameInfo
{
    public int BlockSizeId;          // LZ4F_blockSizeID_t: 0 default, 4..7 = 64 KiB..4 MiB
    public int BlockMode;            // LZ4F_blockMode_t: 0 linked, 1 independent
    public int ContentChecksumFlag;  // LZ4F_contentChecksum_t
    public int FrameType;            // LZ4F_frameType_t: 0 frame, 1 skippable
    public ulong ContentSize;        // 0 = unknown
    public uint DictId;
    public int BlockChecksumFlag;    // LZ4F_blockChecksum_t
}

/// <summary><c>LZ4F_preferences_t</c>: 56 bytes; the reserved words must stay zero.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Lz4Preferences
{
    public Lz4FrameInfo FrameInfo;
    public int CompressionLevel;
    public uint AutoFlush;
    public uint FavorDecSpeed;
    public uint Reserved0;
    public uint Reserved1;
    public uint Reserved2;
}

/// <summary>Values of the C enums above, named as in <c>lz4frame.h</c>.</summary>
internal static class Lz4Constants
{
    internal const int Max64KB = 4;
    internal const int BlockLinked = 0;
    internal const int ContentChecksumEnabled = 1;
    internal const int SkippableFrame = 1;

    /// <summary><c>LZ4F_errorCodes</c>: an error result is <c>(size_t)-code</c>.</summary>
    internal const int ErrorAllocationFailed = 9;
    internal const int ErrorBlockChecksumInvalid = 7;
    internal const int ErrorDstMaxSizeTooSmall = 11;
    internal const int ErrorFrameHeaderIncomplete = 12;
    internal const int ErrorFrameTypeUnknown = 13;
    internal const int ErrorFrameSizeWrong = 14;
    internal const int ErrorHeaderChecksumInvalid = 17;
    internal const int ErrorContentChecksumInvalid = 18;
}
