using System.Diagnostics;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Storage;

namespace Rollup.Bench.Custom;

/// <summary>
/// What RocksDB itself costs on this machine for the state's traffic, measured in the same run as the figures
/// it is printed next to: Merkle-node-shaped entries (12-byte keys under a few tree ids, 65-byte values)
/// written in large batches with the WAL on, into <see cref="StateColumn.MerkleNodes"/> of a database opened
/// with the engine's default options, then point reads of entries that are there.
/// </summary>
internal static class StorageLimits
{
    public sealed record Result(double PutMicroseconds, double SortedPutMicroseconds, double GetMicroseconds, int EntriesPerBatch);

    /// <param name="batches">Batches written per order (random, sorted), alternating: 2 x 20 of 20,000 entries fill about one default memtable, as a run of blocks does.</param>
    public static Result Measure(int entriesPerBatch = 20_000, int batches = 20, int gets = 200_000)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"rollup-bench-storage-{Guid.NewGuid():N}");
        try
        {
            using var db = RocksDb.Open<StateColumn>(directory);
            using var batch = db.CreateWriteBatch();
            var random = new Random(5);
            var keyLength = RocksMerkleNodeStore.TreeIdLength + 7;
            var written = new List<byte[]>();
            var value = new byte[MerkleNode.EncodedLength];
            random.NextBytes(value);

            // Random-order and sorted batches alternate, so both meet the same memtable as it fills.
            var keys = new byte[entriesPerBatch][];
            var ticks = new long[2];
            for (var b = 0; b < 2 * batches; b++)
            {
                var sorted = b % 2;
                for (var i = 0; i < keys.Length; i++)
                {
                    var key = new byte[keyLength];
                    random.NextBytes(key);
                    key[0] = 2;
                    key[1] = key[2] = key[3] = 0;
                    key[4] = (byte)(key[4] & 15);
                    keys[i] = key;
                }
                if (sorted == 1)
                {
                    Array.Sort(keys, static (a, b) => a.AsSpan().SequenceCompareTo(b));
                }
                var start = Stopwatch.GetTimestamp();
                foreach (var key in keys)
                {
                    batch.Put(StateColumn.MerkleNodes, key, value);
                }
                batch.Commit();
                ticks[sorted] += Stopwatch.GetTimestamp() - start;
                for (var i = 0; i < keys.Length; i += 50)
                {
                    written.Add(keys[i]);
                }
            }
            var perEntry = 1e6 / Stopwatch.Frequency / ((double)entriesPerBatch * batches);
            var put = ticks[0] * perEntry;
            var sortedPut = ticks[1] * perEntry;
            var readKeys = written.ToArray();
            var order = new int[gets];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = random.Next(readKeys.Length);
            }
            Span<byte> buffer = stackalloc byte[MerkleNode.EncodedLength];
            var getStart = Stopwatch.GetTimestamp();
            foreach (var index in order)
            {
                db.TryGet(StateColumn.MerkleNodes, readKeys[index], buffer, out _);
            }
            var get = Stopwatch.GetElapsedTime(getStart).TotalMicroseconds / gets;
            return new Result(put, sortedPut, get, entriesPerBatch);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
