using System.Diagnostics.CodeAnalysis;
using Rollup.Storage.Handles;
using Rollup.Storage.Native;

namespace Rollup.Storage;

/// <summary>
/// A cursor over one column, made by <see cref="RocksDb{TColumn}.CreateIterator"/> or
/// <see cref="RocksDb{TColumn}.CreatePrefixIterator"/>. Every move returns <see cref="Valid"/>; a RocksDB
/// error during a move throws <see cref="RocksDbException"/>. <see cref="Key"/> and <see cref="Value"/> point
/// into RocksDB's memory and are valid until the next move or <see cref="Dispose"/>. Holds the database open
/// until disposed (it keeps working after the database object is disposed). Not thread-safe.
/// Moving backward is refused when <see cref="IsForwardOnly"/>.
/// </summary>
public sealed unsafe class RocksIterator : IDisposable
{
    private readonly IteratorHandle _iterator;
    private bool _valid;

    internal RocksIterator(IteratorHandle iterator, bool forwardOnly)
    {
        _iterator = iterator;
        IsForwardOnly = forwardOnly;
    }

    /// <summary>
    /// A prefix iterator that uses the column's prefix filters: <see cref="SeekToLast"/>,
    /// <see cref="SeekForPrev"/> and <see cref="Prev"/> throw <see cref="InvalidOperationException"/>.
    /// </summary>
    public bool IsForwardOnly { get; }

    /// <summary>Whether the iterator is positioned on an entry.</summary>
    public bool Valid => _valid;

    /// <summary>The current key; throws unless <see cref="Valid"/>.</summary>
    public ReadOnlySpan<byte> Key
    {
        get
        {
            var key = RocksApi.C.rocksdb_iter_key(Positioned(), out var length);
            return new ReadOnlySpan<byte>((byte*)key, (int)length);
        }
    }

    /// <summary>The current value; throws unless <see cref="Valid"/>.</summary>
    public ReadOnlySpan<byte> Value
    {
        get
        {
            var value = RocksApi.C.rocksdb_iter_value(Positioned(), out var length);
            return new ReadOnlySpan<byte>((byte*)value, (int)length);
        }
    }

    public bool SeekToFirst()
    {
        var iterator = Iterator();
        RocksApi.C.rocksdb_iter_seek_to_first(iterator);
        return Settle(iterator);
    }

    public bool SeekToLast()
    {
        var iterator = Backward(Iterator());
        RocksApi.C.rocksdb_iter_seek_to_last(iterator);
        return Settle(iterator);
    }

    /// <summary>Moves to the first key at or after <paramref name="target"/>.</summary>
    public bool Seek(ReadOnlySpan<byte> target)
    {
        var iterator = Iterator();
        fixed (byte* targetPointer = target)
        {
            RocksApi.C.rocksdb_iter_seek(iterator, targetPointer, (nuint)target.Length);
        }
        return Settle(iterator);
    }

    /// <summary>Moves to the last key at or before <paramref name="target"/>.</summary>
    public bool SeekForPrev(ReadOnlySpan<byte> target)
    {
        var iterator = Backward(Iterator());
        fixed (byte* targetPointer = target)
        {
            RocksApi.C.rocksdb_iter_seek_for_prev(iterator, targetPointer, (nuint)target.Length);
        }
        return Settle(iterator);
    }

    /// <summary>Moves to the next key; throws unless <see cref="Valid"/>.</summary>
    public bool Next()
    {
        var iterator = Positioned();
        RocksApi.C.rocksdb_iter_next(iterator);
        return Settle(iterator);
    }

    /// <summary>Moves to the previous key; throws unless <see cref="Valid"/>.</summary>
    public bool Prev()
    {
        var iterator = Backward(Positioned());
        RocksApi.C.rocksdb_iter_prev(iterator);
        return Settle(iterator);
    }

    /// <summary>Releases the iterator (and with it, possibly, its closed database). Idempotent.</summary>
    public void Dispose()
    {
        _valid = false;
        _iterator.Dispose();
    }

    private bool Settle(nint iterator)
    {
        _valid = RocksApi.C.rocksdb_iter_valid(iterator) != 0;
        if (!_valid)
        {
            nint error;
            RocksApi.C.rocksdb_iter_get_error(iterator, out error);
            NativeErrors.ThrowIfError(error, "iterator");
        }
        return _valid;
    }

    private nint Iterator()
    {
        ObjectDisposedException.ThrowIf(_iterator.IsClosed, this);
        return _iterator.DangerousGetHandle();
    }

    // RocksDB asserts (and so aborts the process) when key/value/next/prev run on an invalid iterator.
    private nint Positioned()
    {
        var iterator = Iterator();
        if (!_valid)
        {
            ThrowNotPositioned();
        }
        return iterator;
    }

    private nint Backward(nint iterator)
    {
        if (IsForwardOnly)
        {
            throw new InvalidOperationException(
                "This prefix iterator uses the column's prefix filters and only moves forward; " +
                "use a prefix of another length or CreateIterator to move backward.");
        }
        return iterator;
    }

    [DoesNotReturn]
    private static void ThrowNotPositioned() =>
        throw new InvalidOperationException("The iterator is not positioned on an entry (Valid is false).");
}
