using Rollup.Primitives;
using Rollup.Storage;

namespace Rollup.Execution.State.Merkle;

/// <summary>
/// One tree's nodes in the <see cref="StateColumn.MerkleNodes"/> table, under a 5-byte tree id. Writes stay
/// in an overlay until <see cref="WriteTo"/> moves them into the block's write batch, so a tree can be
/// updated on a worker thread and its writes committed with everything else, or discarded.
/// Nodes down to <see cref="CachedDepth"/> are also kept in memory once read or written: every update
/// passes through the top of the tree, and a RocksDB read costs about 3 µs against 0.35 µs for a hash.
/// </summary>
public sealed class RocksMerkleNodeStore : IMerkleNodeStore
{
    public const int TreeIdLength = 5;

    private readonly RocksDb<StateColumn> _db;
    private readonly byte[] _treeId;
    private readonly Dictionary<(int Depth, Hash256 Path), MerkleNode?> _pending = [];
    private readonly Dictionary<(int Depth, Hash256 Path), MerkleNode> _cache = [];

    /// <summary>Depth down to which committed nodes stay in memory: at most 2^(depth+1) of them per tree.</summary>
    public const int CachedDepth = 18;

    public RocksMerkleNodeStore(RocksDb<StateColumn> db, ReadOnlySpan<byte> treeId)
    {
        if (treeId.Length != TreeIdLength)
        {
            throw new ArgumentException($"a tree id is {TreeIdLength} bytes", nameof(treeId));
        }
        _db = db;
        _treeId = treeId.ToArray();
    }

    public int PendingCount => _pending.Count;

    public bool TryGet(int depth, in Hash256 path, out MerkleNode node)
    {
        var position = (depth, MerklePath.Mask(path, depth));
        if (_pending.TryGetValue(position, out var pending))
        {
            node = pending.GetValueOrDefault();
            return pending.HasValue;
        }
        if (depth <= CachedDepth && _cache.TryGetValue(position, out node))
        {
            return true;
        }
        Span<byte> key = stackalloc byte[TreeIdLength + MerklePath.MaxEncodedLength];
        var length = EncodeKey(depth, path, key);
        using var value = _db.GetPinned(StateColumn.MerkleNodes, key[..length]);
        if (!value.Exists)
        {
            node = default;
            return false;
        }
        if (!MerkleNode.TryDecode(value.Span, out node))
        {
            throw new InvalidDataException($"corrupt merkle node at depth {depth} in the state database");
        }
        if (depth <= CachedDepth)
        {
            _cache[position] = node;
        }
        return true;
    }

    public void Put(int depth, in Hash256 path, in MerkleNode node) => _pending[(depth, MerklePath.Mask(path, depth))] = node;

    public void Delete(int depth, in Hash256 path) => _pending[(depth, MerklePath.Mask(path, depth))] = null;

    /// <summary>Moves the pending writes into <paramref name="batch"/> (which the caller commits) and forgets them.</summary>
    public void WriteTo(RocksWriteBatch<StateColumn> batch)
    {
        Span<byte> key = stackalloc byte[TreeIdLength + MerklePath.MaxEncodedLength];
        Span<byte> value = stackalloc byte[MerkleNode.EncodedLength];
        foreach (var ((depth, path), node) in _pending)
        {
            var length = EncodeKey(depth, path, key);
            if (node is { } present)
            {
                present.Encode(value);
                batch.Put(StateColumn.MerkleNodes, key[..length], value);
                if (depth <= CachedDepth)
                {
                    _cache[(depth, path)] = present;
                }
            }
            else
            {
                batch.Delete(StateColumn.MerkleNodes, key[..length]);
                _cache.Remove((depth, path));
            }
        }
        _pending.Clear();
    }

    /// <summary>Drops the pending writes: the tree is back to what the database holds.</summary>
    public void Discard() => _pending.Clear();

    private int EncodeKey(int depth, in Hash256 path, Span<byte> key)
    {
        _treeId.CopyTo(key);
        return TreeIdLength + MerklePath.Encode(depth, path, key[TreeIdLength..]);
    }
}
