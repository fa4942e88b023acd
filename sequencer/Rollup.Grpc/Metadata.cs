using System.Collections;

namespace Rollup.Grpc;

/// <summary>
/// Custom metadata: request headers, response headers or trailers. Keys are lower-case
/// (<c>0-9 a-z _ - .</c>); keys ending in <c>-bin</c> carry bytes, sent as unpadded base64.
/// Several entries may share a key; order is kept.
/// </summary>
public sealed class Metadata : IReadOnlyList<Metadata.Entry>
{
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <summary>One key and its value as it travels (binary values already base64-encoded).</summary>
    public readonly record struct Entry(string Key, string Value)
    {
        public bool IsBinary => Key.EndsWith(BinarySuffix, StringComparison.Ordinal);

        /// <summary>The bytes of a <c>-bin</c> entry (padded and unpadded base64 both accepted).</summary>
        public byte[] ValueBytes => IsBinary ? DecodeBase64(Value) : throw new InvalidOperationException($"'{Key}' is not a binary key");
    }

    public int Count => _entries.Count;

    public Entry this[int index] => _entries[index];

    public Metadata Add(string key, string value)
    {
        var normalized = NormalizeKey(key);
        if (normalized.EndsWith(BinarySuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' is a binary key: use Add(key, bytes)", nameof(key));
        }
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException($"metadata value for '{key}' must be printable ASCII", nameof(value));
            }
        }
        _entries.Add(new Entry(normalized, value));
        return this;
    }

    public Metadata Add(string key, ReadOnlySpan<byte> value)
    {
        var normalized = NormalizeKey(key);
        if (!normalized.EndsWith(BinarySuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"binary metadata keys end in {BinarySuffix}: '{key}'", nameof(key));
        }
        _entries.Add(new Entry(normalized, Convert.ToBase64String(value).TrimEnd('=')));
        return this;
    }

    /// <summary>The first value for <paramref name="key"/>, or null.</summary>
    public string? Get(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }
        return null;
    }

    /// <summary>The bytes of the first <c>-bin</c> value for <paramref name="key"/>, or null.</summary>
    public byte[]? GetBytes(string key) => Get(key) is { } value ? DecodeBase64(value) : null;

    public IEnumerable<string> GetAll(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                yield return entry.Value;
            }
        }
    }

    public List<Entry>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<Entry> IEnumerable<Entry>.GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    /// <summary>Adds an entry received from the wire without re-validating it.</summary>
    internal void AddReceived(string key, string value) => _entries.Add(new Entry(key, value));

    internal static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'z') or '_' or '-' or '.'))
            {
                throw new ArgumentException($"metadata key '{key}' has a character outside 0-9 a-z _ - .", nameof(key));
            }
        }
        return lower;
    }

    private static byte[] DecodeBase64(string value)
    {
        // Several values for one key may have been joined with commas on the way.
        var text = value.Contains(',', StringComparison.Ordinal) ? value.Split(',')[0].Trim() : value.Trim();
        var padding = (4 - (text.Length % 4)) % 4;
        return Convert.FromBase64String(padding == 0 ? text : text + new string('=', padding));
    }
}
