using System.Collections;

namespace Rollup.Execution.Transactions;

/// <summary>
/// An immutable array compared by its elements, so that a record holding one (a bulk's items, its results) is equal to
/// another with the same values, as a record of scalars is.
/// </summary>
public sealed class ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
    where T : IEquatable<T>
{
    private readonly T[] _items;

    /// <summary>Takes <paramref name="items"/> as it is: the caller gives up the array.</summary>
    public ValueArray(T[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items;
    }

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public ReadOnlySpan<T> Span => _items;

    public bool Equals(ValueArray<T>? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => obj is ValueArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
