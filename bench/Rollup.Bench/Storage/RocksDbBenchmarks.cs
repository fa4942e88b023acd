using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Rollup.Storage;

namespace Rollup.Bench;

/// <summary>
/// Our RocksDB binding on the defaults the node uses: 32-byte hash-like keys, 100-byte values, WAL on.
/// Figures are per operation (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class RocksDbBenchmarks
{
    private const int KeySize = 32;
    private const int ValueSize = 100;
    private const int PutsPerBatch = 10_000;
    private const int FilledKeys = 100_000;
    private const int GetsPerInvoke = 10_000;

    private readonly byte[] _value = new byte[ValueSize];
    private readonly byte[] _readBuffer = new byte[ValueSize];
    private byte[] _putKeys = [];
    private byte[] _filledKeys = [];
    private int[] _getOrder = [];
    private string _directory = "";
    private RocksDb<BenchColumn>? _db;
    private RocksWriteBatch<BenchColumn>? _batch;
    private int _round;

    public enum BenchColumn
    {
        Writes,
        Filled,
    }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        random.NextBytes(_value);
        _putKeys = new byte[PutsPerBatch * KeySize];
        random.NextBytes(_putKeys);
        _filledKeys = new byte[FilledKeys * KeySize];
        random.NextBytes(_filledKeys);
        _getOrder = new int[GetsPerInvoke];
        for (var i = 0; i < _getOrder.Length; i++)
        {
            _getOrder[i] = random.Next(FilledKeys);
        }

        _directory = Path.Combine(Path.GetTempPath(), "rollup-bench-rocksdb-" + Guid.NewGuid().ToString("N"));
        _db = RocksDb.Open<BenchColumn>(_directory);
        using (var fill = _db.CreateWriteBatch())
        {
            for (var i = 0; i < FilledKeys; i++)
            {
                fill.Put(BenchColumn.Filled, _filledKeys.AsSpan(i * KeySize, KeySize), _value);
                if (fill.Count == PutsPerBatch)
                {
                    fill.Commit();
                }
            }
            fill.Commit();
        }
        // Point reads come from SST files through the block cache, as they would on a synced node.
        _db.Flush(BenchColumn.Filled);
        _batch = _db.CreateWriteBatch();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batch?.Dispose();
        _db?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>One put of a 10k-put batch committed with the WAL on.</summary>
    [Benchmark(OperationsPerInvoke = PutsPerBatch)]
    public void BatchedPut()
    {
        var batch = _batch!;
        var round = ++_round;
        for (var i = 0; i < PutsPerBatch; i++)
        {
            var key = _putKeys.AsSpan(i * KeySize, KeySize);
            // Fresh keys every round, still spread over the key space.
            BinaryPrimitives.WriteInt32LittleEndian(key[(KeySize - 4)..], round);
            batch.Put(BenchColumn.Writes, key, _value);
        }
        batch.Commit();
    }

    /// <summary>One point read of a present key, copied into a caller buffer.</summary>
    [Benchmark(OperationsPerInvoke = GetsPerInvoke)]
    public int PointGet()
    {
        var db = _db!;
        var total = 0;
        foreach (var index in _getOrder)
        {
            db.TryGet(BenchColumn.Filled, _filledKeys.AsSpan(index * KeySize, KeySize), _readBuffer, out var length);
            total += length;
        }
        return total;
    }
}
