using Rollup.Storage.Handles;
using Rollup.Storage.Native;

namespace Rollup.Storage;

/// <summary>
/// A value read in place by <see cref="RocksDb{TColumn}.GetPinned"/>: <see cref="Span"/> points into
/// RocksDB's memory, which stays pinned (and the database open) until <see cref="Dispose"/>. Dispose it
/// exactly once, and do not copy it: each copy would dispose the same native slice.
/// </summary>
public unsafe ref struct PinnedValue
{
    private nint _slice;
    private readonly DbHandle? _owner;
    private readonly byte* _data;
    private readonly int _length;

    /// <summary>Takes over one reference on <paramref name="owner"/>, given back on dispose.</summary>
    internal PinnedValue(nint slice, DbHandle owner)
    {
        _slice = slice;
        _owner = owner;
        _data = (byte*)RocksApi.C.rocksdb_pinnableslice_value(slice, out var length);
        _length = checked((int)length);
        NativeHandleCounter.Created();
    }

    /// <summary>Whether the key was present.</summary>
    public readonly bool Exists => _slice != 0;

    /// <summary>The value; empty when absent or disposed. Valid until <see cref="Dispose"/>.</summary>
    public readonly ReadOnlySpan<byte> Span => _slice != 0 ? new ReadOnlySpan<byte>(_data, _length) : default;

    public void Dispose()
    {
        if (_slice == 0)
        {
            return;
        }
        RocksApi.C.rocksdb_pinnableslice_destroy(_slice);
        _slice = 0;
        NativeHandleCounter.Released();
        _owner!.DangerousRelease();
    }
}
