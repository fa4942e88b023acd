using System.Diagnostics.CodeAnalysis;
using Rollup.Storage.Native;

namespace Rollup.Storage;

public sealed partial class RocksDb<TColumn>
{
    /// <summary>
    /// Reads the value without copying it: the returned <see cref="PinnedValue"/> points into RocksDB's block
    /// cache or memtable until it is disposed (and holds the database open until then). Dispose it exactly once.
    /// </summary>
    /// <param name="snapshot">Read as of this snapshot of this database; null reads the latest data.</param>
    public unsafe PinnedValue GetPinned(TColumn column, ReadOnlySpan<byte> key, RocksSnapshot? snapshot = null)
    {
        var columnFamily = ColumnFamily(column);
        var readOptions = snapshot is null ? _readOptions : snapshot.ReadOptionsFor(_db);
        var snapshotAdded = false;
        var lease = Lease();
        try
        {
            if (snapshot is not null)
            {
                readOptions.DangerousAddRef(ref snapshotAdded);
            }
            nint error;
            nint slice;
            fixed (byte* keyPointer = key)
            {
                slice = RocksApi.C.rocksdb_get_pinned_cf(
                    lease.Pointer, readOptions.DangerousGetHandle(), columnFamily, keyPointer, (nuint)key.Length, out error);
            }
            NativeErrors.ThrowIfError(error, "get");
            if (slice == 0)
            {
                lease.Dispose();
                return default;
            }
            // The pinned value takes over the lease's reference on the database.
            return new PinnedValue(slice, _db);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
        finally
        {
            if (snapshotAdded)
            {
                readOptions.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Copies the value into <paramref name="destination"/>. Returns false, with <paramref name="length"/> 0,
    /// when the key is absent; otherwise <paramref name="length"/> is the value's length.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the value; use
    /// <see cref="GetPinned"/> for values of unknown size.</exception>
    public bool TryGet(
        TColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int length, RocksSnapshot? snapshot = null)
    {
        using var value = GetPinned(column, key, snapshot);
        if (!value.Exists)
        {
            length = 0;
            return false;
        }
        var span = value.Span;
        if (span.Length > destination.Length)
        {
            ThrowDestinationTooShort(span.Length, destination.Length);
        }
        span.CopyTo(destination);
        length = span.Length;
        return true;
    }

    /// <summary>The value as a new array, or null when the key is absent.</summary>
    public byte[]? Get(TColumn column, ReadOnlySpan<byte> key, RocksSnapshot? snapshot = null)
    {
        using var value = GetPinned(column, key, snapshot);
        return value.Exists ? value.Span.ToArray() : null;
    }

    /// <summary>Whether the key is present (a full read, not a bloom-filter guess).</summary>
    public bool Contains(TColumn column, ReadOnlySpan<byte> key, RocksSnapshot? snapshot = null)
    {
        using var value = GetPinned(column, key, snapshot);
        return value.Exists;
    }

    /// <summary>
    /// A consistent, read-only view of the database as of now, usable in reads and iterators. Holds the
    /// database open (and keeps old versions of overwritten keys) until disposed.
    /// </summary>
    public RocksSnapshot CreateSnapshot()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new RocksSnapshot(_db);
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(int valueLength, int destinationLength) =>
        throw new ArgumentException($"The value is {valueLength} bytes; the destination holds {destinationLength}.");
}
