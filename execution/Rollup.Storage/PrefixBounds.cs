namespace Rollup.Storage;

/// <summary>Key ranges for prefix iteration under RocksDB's byte-wise comparator.</summary>
internal static class PrefixBounds
{
    /// <summary>
    /// Writes the smallest key greater than every key starting with <paramref name="prefix"/> into
    /// <paramref name="destination"/> and returns its length: the prefix with trailing 0xFF bytes dropped and
    /// the last remaining byte incremented. Returns 0 when there is none (empty or all-0xFF prefix): then
    /// every key at or after the prefix starts with it.
    /// </summary>
    public static int UpperBound(ReadOnlySpan<byte> prefix, Span<byte> destination)
    {
        var last = prefix.Length - 1;
        while (last >= 0 && prefix[last] == 0xFF)
        {
            last--;
        }
        if (last < 0)
        {
            return 0;
        }
        prefix[..(last + 1)].CopyTo(destination);
        destination[last]++;
        return last + 1;
    }
}
