using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using K4os.Hash.xxHash;

namespace Rollup.Primitives.Compression;

/// <summary>
/// Decodes one LZ4 frame block by block with K4os's block decoder, checking the header checksum, every block checksum
/// and the content checksum the frame carries. A block is decoded into a pooled buffer and handed out as the
/// destination has room, so the driver's one-byte probe works as for any stream. Dispose in a <c>finally</c>.
/// </summary>
internal struct Lz4FrameDecoder : IFrameDecoder, IDisposable
{
    /// <summary>How much earlier output a linked block may refer back to.</summary>
    private const int WindowSize = 64 << 10;

    private Stage _stage;
    private byte _flags;
    private int _blockMaxSize;
    private XXH32.State _contentHash;
    private byte[]? _block;
    private int _pendingStart;
    private int _pendingEnd;
    private byte[]? _window;
    private int _windowLength;

    private enum Stage
    {
        Header,
        Blocks,
        ContentChecksum,
        Done,
    }

    public readonly CompressionCodecId Codec => CompressionCodecId.Lz4;

    public long ReadHeader(ReadOnlySpan<byte> source, out int consumed)
    {
        // Also turns away skippable and legacy frames, whose magic numbers differ.
        FrameDecoding.RequireMagic(source, Lz4Frame.Magic, Codec);
        if (source.Length < 7)
        {
            throw Truncated("its header");
        }
        var flags = source[4];
        var blockDescriptor = source[5];
        if (flags >> 6 != Lz4Frame.Version)
        {
            throw Corrupt($"frame version {flags >> 6}, only version {Lz4Frame.Version} exists");
        }
        if ((flags & Lz4Frame.ReservedFlag) != 0 || (blockDescriptor & 0x8F) != 0)
        {
            throw Corrupt("a reserved bit of its header is set");
        }
        if ((flags & Lz4Frame.DictionaryId) != 0)
        {
            throw Corrupt("it needs a dictionary, and none is used");
        }
        var blockSizeId = blockDescriptor >> 4;
        if (blockSizeId < 4)
        {
            throw Corrupt($"block maximum size id {blockSizeId} is undefined (4 to 7)");
        }
        var descriptorLength = 2 + ((flags & Lz4Frame.ContentSize) != 0 ? 8 : 0);
        if (source.Length < 4 + descriptorLength + 1)
        {
            throw Truncated("its header");
        }
        if (Lz4Frame.HeaderChecksum(source.Slice(4, descriptorLength)) != source[4 + descriptorLength])
        {
            throw new CompressionException(CompressionError.ChecksumMismatch, "LZ4 frame failed a checksum, the data is corrupt (header checksum)");
        }
        _flags = flags;
        _blockMaxSize = Lz4Frame.BlockMaxSize(blockSizeId);
        XXH32.Reset(ref _contentHash, 0);
        _stage = Stage.Blocks;
        consumed = 4 + descriptorLength + 1;
        // Content size 0 means "not recorded" to liblz4 and the lz4 tool, which write no size for empty input either.
        var size = (flags & Lz4Frame.ContentSize) != 0 ? BinaryPrimitives.ReadUInt64LittleEndian(source[6..]) : 0;
        return size == 0 ? -1 : (long)Math.Min(size, long.MaxValue);
    }

    public bool Decode(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        while (true)
        {
            if (_pendingEnd > _pendingStart)
            {
                var count = Math.Min(_pendingEnd - _pendingStart, destination.Length - written);
                _block.AsSpan(_pendingStart, count).CopyTo(destination[written..]);
                _pendingStart += count;
                written += count;
                if (_pendingEnd > _pendingStart)
                {
                    return false;
                }
            }
            switch (_stage)
            {
                case Stage.Blocks:
                    DecodeBlock(source[consumed..], ref consumed);
                    break;
                case Stage.ContentChecksum:
                    if ((_flags & Lz4Frame.ContentChecksum) != 0)
                    {
                        if (source.Length - consumed < 4)
                        {
                            throw Truncated("its content checksum");
                        }
                        if (BinaryPrimitives.ReadUInt32LittleEndian(source[consumed..]) != XXH32.Digest(in _contentHash))
                        {
                            throw new CompressionException(CompressionError.ChecksumMismatch, "LZ4 frame failed a checksum, the data is corrupt (content checksum)");
                        }
                        consumed += 4;
                    }
                    _stage = Stage.Done;
                    return true;
                case Stage.Done:
                    return true;
                default:
                    throw new InvalidOperationException("LZ4 frame: Decode before ReadHeader");
            }
        }
    }

    /// <summary>
    /// Decodes the next block, or reads the end mark. The driver always passes the rest of the frame, so input that
    /// ends inside a block is a truncated frame, not a call to come back with more.
    /// </summary>
    private void DecodeBlock(ReadOnlySpan<byte> source, ref int consumed)
    {
        if (source.Length < 4)
        {
            throw Truncated("a block size");
        }
        var word = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (word == 0)
        {
            consumed += 4;
            _stage = Stage.ContentChecksum;
            return;
        }
        var stored = (word & Lz4Frame.UncompressedBlock) != 0;
        var length = (int)(word & ~Lz4Frame.UncompressedBlock);
        if (length > _blockMaxSize)
        {
            throw Corrupt($"a block of {length} bytes is over the frame's block maximum size of {_blockMaxSize}");
        }
        var checksumLength = (_flags & Lz4Frame.BlockChecksum) != 0 ? 4 : 0;
        if (source.Length < 4 + length + checksumLength)
        {
            throw Truncated("a block");
        }
        var data = source.Slice(4, length);
        if (checksumLength != 0 && BinaryPrimitives.ReadUInt32LittleEndian(source[(4 + length)..]) != XXH32.DigestOf(data))
        {
            throw new CompressionException(CompressionError.ChecksumMismatch, "LZ4 frame failed a checksum, the data is corrupt (block checksum)");
        }
        _block ??= ArrayPool<byte>.Shared.Rent(_blockMaxSize);
        int produced;
        if (stored)
        {
            data.CopyTo(_block);
            produced = length;
        }
        else
        {
            var target = _block.AsSpan(0, _blockMaxSize);
            produced = (_flags & Lz4Frame.BlockIndependence) != 0
                ? LZ4Codec.Decode(data, target)
                : LZ4Codec.Decode(data, target, _window.AsSpan(0, _windowLength));
            if (produced < 0)
            {
                throw Corrupt("a block does not decode");
            }
        }
        var output = _block.AsSpan(0, produced);
        XXH32.Update(ref _contentHash, output);
        if ((_flags & Lz4Frame.BlockIndependence) == 0)
        {
            Remember(output);
        }
        _pendingStart = 0;
        _pendingEnd = produced;
        consumed += 4 + length + checksumLength;
    }

    /// <summary>Keeps the last 64 KiB of output: the dictionary of the next linked block.</summary>
    private void Remember(ReadOnlySpan<byte> output)
    {
        _window ??= ArrayPool<byte>.Shared.Rent(WindowSize);
        if (output.Length >= WindowSize)
        {
            output[^WindowSize..].CopyTo(_window);
            _windowLength = WindowSize;
            return;
        }
        var keep = Math.Min(_windowLength, WindowSize - output.Length);
        _window.AsSpan(_windowLength - keep, keep).CopyTo(_window);
        output.CopyTo(_window.AsSpan(keep));
        _windowLength = keep + output.Length;
    }

    private static CompressionException Truncated(string what) =>
        new(CompressionError.Truncated, $"LZ4 frame is truncated (the input ends inside {what})");

    private static CompressionException Corrupt(string detail) =>
        new(CompressionError.Corrupt, $"LZ4 frame is corrupt: {detail}");

    public void Dispose()
    {
        if (_block is not null)
        {
            ArrayPool<byte>.Shared.Return(_block);
            _block = null;
        }
        if (_window is not null)
        {
            ArrayPool<byte>.Shared.Return(_window);
            _window = null;
        }
    }
}
