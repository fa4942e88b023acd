using Rollup.Storage.Handles;

namespace Rollup.Storage;

public sealed partial class RocksDb<TColumn>
{
    /// <summary>An iterator over the whole column in key order (byte-wise), unpositioned until a seek.</summary>
    /// <param name="snapshot">Iterate as of this snapshot; null takes an implicit one now.</param>
    public RocksIterator CreateIterator(TColumn column, RocksSnapshot? snapshot = null) =>
        NewIterator(column, snapshot, default, isPrefix: false);

    /// <summary>
    /// An iterator bounded to exactly the keys that start with <paramref name="prefix"/>, in order: seeks are
    /// clamped into that range and iteration stops at its ends.
    /// </summary>
    /// <remarks>
    /// When the column's <see cref="ColumnOptions.PrefixLength"/> equals the prefix's length, seeks use the
    /// prefix bloom filters to skip files, and the iterator only moves forward (<see cref="RocksIterator.SeekToFirst"/>,
    /// <see cref="RocksIterator.Seek"/>, <see cref="RocksIterator.Next"/>): RocksDB's prefix mode gives wrong
    /// results when moving backward. Any other prefix length iterates in total order, in both directions.
    /// </remarks>
    public RocksIterator CreatePrefixIterator(TColumn column, ReadOnlySpan<byte> prefix, RocksSnapshot? snapshot = null) =>
        NewIterator(column, snapshot, prefix, isPrefix: true);

    private RocksIterator NewIterator(TColumn column, RocksSnapshot? snapshot, ReadOnlySpan<byte> prefix, bool isPrefix)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var index = IndexOf(column);
        var readOptions = new ReadOptionsHandle(snapshot?.HandleFor(_db));
        try
        {
            var prefixMode = false;
            if (isPrefix && !prefix.IsEmpty)
            {
                Span<byte> upper = prefix.Length <= 128 ? stackalloc byte[prefix.Length] : new byte[prefix.Length];
                var upperLength = PrefixBounds.UpperBound(prefix, upper);
                readOptions.SetBounds(prefix, upper[..upperLength]);
                // Prefix mode is exact going forward only when the upper bound stops iteration at the prefix's end.
                prefixMode = prefix.Length == _prefixLengths[index] && upperLength > 0;
            }
            readOptions.SetTotalOrderSeek(!prefixMode);
            return new RocksIterator(new IteratorHandle(_db, readOptions, _columns[index]), forwardOnly: prefixMode);
        }
        finally
        {
            // The iterator holds its own reference on the read options (and through them the snapshot).
            readOptions.Dispose();
        }
    }
}
