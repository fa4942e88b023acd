using System.Runtime.InteropServices;
using Rollup.Storage.Native;

namespace Rollup.Storage.Handles;

/// <summary>
/// A <c>rocksdb_readoptions_t</c>. With a snapshot it holds a reference on it. Iterate bounds are copied
/// into native memory this handle owns: RocksDB keeps only a pointer to them, so they must live as long as
/// the options, and the options as long as any iterator made with them.
/// </summary>
internal sealed unsafe class ReadOptionsHandle : RocksSafeHandle
{
    private byte* _bounds;

    public ReadOptionsHandle(SnapshotHandle? snapshot = null)
    {
        if (snapshot is null)
        {
            Attach(RocksApi.C.rocksdb_readoptions_create(), "read options");
            return;
        }
        DependOn(snapshot);
        Attach(RocksApi.C.rocksdb_readoptions_create(), "read options");
        RocksApi.C.rocksdb_readoptions_set_snapshot(handle, snapshot.DangerousGetHandle());
    }

    /// <summary>Limits iteration to [<paramref name="lower"/>, <paramref name="upper"/>); an empty bound is no bound.</summary>
    public void SetBounds(ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
    {
        if (_bounds != null)
        {
            throw new InvalidOperationException("Bounds are set once per read options.");
        }
        _bounds = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, lower.Length + upper.Length));
        var lowerCopy = new Span<byte>(_bounds, lower.Length);
        var upperCopy = new Span<byte>(_bounds + lower.Length, upper.Length);
        lower.CopyTo(lowerCopy);
        upper.CopyTo(upperCopy);
        if (!lower.IsEmpty)
        {
            RocksApi.C.rocksdb_readoptions_set_iterate_lower_bound(handle, _bounds, (nuint)lower.Length);
        }
        if (!upper.IsEmpty)
        {
            RocksApi.C.rocksdb_readoptions_set_iterate_upper_bound(handle, _bounds + lower.Length, (nuint)upper.Length);
        }
    }

    /// <summary>
    /// Total order (RocksDB's default is prefix mode whenever the column has a prefix extractor, in which
    /// seeks may skip keys of other prefixes). Prefix mode is never combined with prefix_same_as_start here:
    /// that applies the extractor to every seek target and asserts (aborts) on targets shorter than the prefix.
    /// </summary>
    public void SetTotalOrderSeek(bool totalOrder) =>
        RocksApi.C.rocksdb_readoptions_set_total_order_seek(handle, totalOrder ? (byte)1 : (byte)0);

    protected override void Destroy(nint pointer)
    {
        RocksApi.C.rocksdb_readoptions_destroy(pointer);
        NativeMemory.Free(_bounds);
        _bounds = null;
    }
}
