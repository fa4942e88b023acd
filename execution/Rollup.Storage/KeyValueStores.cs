using System.Diagnostics.CodeAnalysis;

namespace Rollup.Storage;

/// <summary>Point reads by key.</summary>
[SuppressMessage("Naming", "CA1716", Justification = "Get/Set are the store's vocabulary; no VB implementers.")]
public interface IReadOnlyKeyValueStore
{
    /// <summary>The value as a new array, or null when the key is absent.</summary>
    byte[]? Get(ReadOnlySpan<byte> key);

    /// <summary>
    /// Copies the value into <paramref name="destination"/>; false when the key is absent. A destination
    /// shorter than the value is an <see cref="ArgumentException"/>.
    /// </summary>
    bool TryGet(ReadOnlySpan<byte> key, Span<byte> destination, out int length);
}

/// <summary>Point reads and writes by key.</summary>
[SuppressMessage("Naming", "CA1716", Justification = "Get/Set are the store's vocabulary; no VB implementers.")]
public interface IKeyValueStore : IReadOnlyKeyValueStore
{
    void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Remove(ReadOnlySpan<byte> key);
}

/// <summary>One column of a <see cref="RocksDb{TColumn}"/> as a key-value store, writing with <see cref="WriteMode.None"/>.</summary>
public sealed class RocksColumn<TColumn> : IKeyValueStore
    where TColumn : struct, Enum
{
    private readonly RocksDb<TColumn> _db;

    internal RocksColumn(RocksDb<TColumn> db, TColumn column)
    {
        _db = db;
        Column = column;
    }

    public TColumn Column { get; }

    public byte[]? Get(ReadOnlySpan<byte> key) => _db.Get(Column, key);

    public bool TryGet(ReadOnlySpan<byte> key, Span<byte> destination, out int length) =>
        _db.TryGet(Column, key, destination, out length);

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _db.Put(Column, key, value);

    public void Remove(ReadOnlySpan<byte> key) => _db.Delete(Column, key);
}
