using Rollup.Storage;

namespace Rollup.Execution.State;

/// <summary>
/// Table writes prepared on a worker thread and appended to the block's write batch afterwards, in the
/// order they were prepared (the batch itself is single-threaded).
/// </summary>
public sealed class PendingWrites
{
    private readonly List<(StateColumn Column, byte[] Key, byte[]? Value)> _writes = [];

    public int Count => _writes.Count;

    public void Put(StateColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _writes.Add((column, key.ToArray(), value.ToArray()));

    public void Delete(StateColumn column, ReadOnlySpan<byte> key) => _writes.Add((column, key.ToArray(), null));

    public void WriteTo(RocksWriteBatch<StateColumn> batch)
    {
        foreach (var (column, key, value) in _writes)
        {
            if (value is null)
            {
                batch.Delete(column, key);
            }
            else
            {
                batch.Put(column, key, value);
            }
        }
        _writes.Clear();
    }

    public void Clear() => _writes.Clear();
}
