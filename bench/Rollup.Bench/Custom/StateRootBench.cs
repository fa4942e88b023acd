using System.Diagnostics;
using System.Globalization;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Storage;

namespace Rollup.Bench.Custom;

/// <summary>
/// What a state-root update costs per changed key as the state grows: a <see cref="SparseMerkleTree"/> over a
/// <see cref="RocksMerkleNodeStore"/> on real RocksDB (a temp directory, <see cref="StateColumn.MerkleNodes"/>,
/// the engine's default options unless told otherwise) is filled with n random keys, then batches of updates
/// (half new keys, half existing ones) are applied and committed one by one, as a block commit does.
/// Usage: <c>rollup-bench stateroot [--sizes 100000,1000000,10000000] [--batch 1000] [--rounds 20] [--warmup 3]
/// [--seed 1] [--fill-chunk 100000] [--proofs 2000] [--keccak-seconds 3] [--fill-limit-minutes 10]
/// [--compression lz4|none|zstd] [--block-kib 16] [--cache-mib 128] [--name stateroot]</c>.
/// </summary>
/// <remarks>
/// The fill inserts the keys in sorted chunks: a sparse Merkle tree's shape depends only on its set of keys,
/// so the tree is the one random insertion would build, at a fraction of the cost (each chunk lands in a fresh
/// part of the tree instead of reading the whole path of every key). Then the memtables are flushed and
/// compactions are awaited, so the timed batches read from SST files through the block cache as a long-running
/// node does. If a fill would take longer than the limit, that size is skipped and 3,000,000 measured instead.
/// </remarks>
internal static class StateRootBench
{
    private const int FallbackSize = 3_000_000;

    private static readonly string[] Options =
    [
        "sizes", "batch", "rounds", "warmup", "seed", "fill-chunk", "proofs", "keccak-seconds", "fill-limit-minutes",
        "compression", "block-kib", "cache-mib", "name",
    ];

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!BenchArgs.TryParse(args, Options, out var parsed, out var error))
        {
            Console.Error.WriteLine($"stateroot: {error}");
            return 2;
        }
        var defaults = new ColumnOptions();
        var settings = new Settings(
            Sizes: parsed.Ints("sizes", [100_000, 1_000_000, 10_000_000]),
            Batch: parsed.Int("batch", 1_000),
            Rounds: parsed.Int("rounds", 20),
            Warmup: parsed.Int("warmup", 3),
            Seed: parsed.Int("seed", 1),
            FillChunk: parsed.Int("fill-chunk", 100_000),
            Proofs: parsed.Int("proofs", 2_000),
            KeccakSeconds: parsed.Double("keccak-seconds", 3),
            FillLimit: TimeSpan.FromMinutes(parsed.Double("fill-limit-minutes", 10)),
            Compression: Enum.Parse<ColumnCompression>(parsed.String("compression", defaults.Compression.ToString()), ignoreCase: true),
            BlockKib: parsed.Int("block-kib", defaults.BlockSizeBytes >> 10),
            CacheMib: parsed.Int("cache-mib", (int)(new RocksDbOptions().BlockCacheBytes >> 20)));
        var engineDefaults = settings.Compression == defaults.Compression && settings.BlockKib << 10 == defaults.BlockSizeBytes
            && (long)settings.CacheMib << 20 == new RocksDbOptions().BlockCacheBytes;

        var report = new CustomReport(parsed.String("name", "stateroot"), "state-root update cost per changed key as the state grows");
        report.Parameter("--sizes", string.Join(",", settings.Sizes));
        report.Parameter("--batch", settings.Batch);
        report.Parameter("--rounds", settings.Rounds);
        report.Parameter("--warmup", settings.Warmup);
        report.Parameter("--seed", settings.Seed);
        report.Parameter("--fill-chunk", settings.FillChunk);
        report.Parameter("RocksDB", $"MerkleNodes {settings.Compression}, {settings.BlockKib} KiB blocks, {settings.CacheMib} MiB block cache{(engineDefaults ? " (the engine's defaults)" : " (NOT the engine's defaults)")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stateroot: sizes {string.Join(", ", settings.Sizes.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))}, batches of {settings.Batch} x {settings.Rounds} (+{settings.Warmup} warm-up), MerkleNodes {settings.Compression}, {settings.BlockKib} KiB blocks, {settings.CacheMib} MiB cache"));

        // Keccak before and after the sizes (the better is the machine's: other work can only lower it), RocksDB once.
        var keccakBefore = RecoveryCeiling.Keccak64PerSecond(TimeSpan.FromSeconds(settings.KeccakSeconds));
        Console.WriteLine($"limit: keccak-256 of 64 bytes, 1 thread: {keccakBefore:N0} /s ({1e6 / keccakBefore:F3} µs per hash)");
        var storage = StorageLimits.Measure();
        Console.WriteLine($"limit: RocksDB batched put {storage.PutMicroseconds:F2} µs/entry ({storage.SortedPutMicroseconds:F2} sorted), point get {storage.GetMicroseconds:F2} µs");

        var results = new List<SizeResult>();
        var measured = new HashSet<int>();
        var queue = new Queue<int>(settings.Sizes);
        while (queue.TryDequeue(out var size))
        {
            if (!measured.Add(size))
            {
                continue;
            }
            var result = Measure(size, settings);
            if (result is null)
            {
                report.Note($"n = {size:N0} was not measured: filling it would take longer than {settings.FillLimit.TotalMinutes:F0} minutes on this machine.{(size > FallbackSize ? $" {FallbackSize:N0} was measured instead." : "")}");
                if (size > FallbackSize)
                {
                    queue.Enqueue(FallbackSize);
                }
                continue;
            }
            results.Add(result);
        }

        var keccakAfter = RecoveryCeiling.Keccak64PerSecond(TimeSpan.FromSeconds(settings.KeccakSeconds));
        Console.WriteLine($"limit: keccak-256 of 64 bytes, 1 thread: {keccakAfter:N0} /s (after)");
        var keccak = Math.Max(keccakBefore, keccakAfter);
        report.Section("Machine limits, measured in this run");
        report.Add("limit.keccak256.64B.threads1", "Keccak-256 of 64 bytes, 1 thread (best of before and after the sizes)", keccak, "hash/s",
            $"{1e6 / keccak:F3} µs per hash; before {keccakBefore:N0}, after {keccakAfter:N0}", 0);
        EngineBench.AddStorageLimits(report, storage);

        foreach (var result in results.OrderBy(r => r.Size))
        {
            AddSize(report, result, settings, keccak);
        }
        if (results.Count >= 2)
        {
            var sorted = results.OrderBy(r => r.Size).ToArray();
            var first = sorted[0];
            var last = sorted[^1];
            report.Section($"Growth from {first.Size:N0} to {last.Size:N0} keys ({last.Size / (double)first.Size:N0}x)");
            report.Add("growth.us_per_key", "µs per changed key", last.MicrosecondsPerKey / first.MicrosecondsPerKey, "x",
                $"log2 n grew {Math.Log2(last.Size) / Math.Log2(first.Size):F2}x; depth grew {last.Depth / first.Depth:F2}x", 2);
            report.Add("growth.reads_per_key", "node reads per changed key", last.ReadsPerKey / first.ReadsPerKey, "x", "", 2);
            report.Add("growth.us_per_read", "µs per node read", last.MicrosecondsPerRead / first.MicrosecondsPerRead, "x",
                "flat would mean reads stay as cheap as the tree outgrows the block cache", 2);
        }
        report.Note("Each batch: `--batch` distinct keys, half new random keys, half random existing keys given new values; timed from SparseMerkleTree.Update through RocksMerkleNodeStore.WriteTo and RocksWriteBatch.Commit (WAL on, no fsync), as the engine commits a block.");
        report.Note("Node reads, writes and the time inside reads come from a counting IMerkleNodeStore wrapped around the RocksMerkleNodeStore (each read also pays ~50 ns for the two timestamps). Hashes per key are counted as node puts: every inner node or leaf put follows exactly one Keccak-256, except a leaf moved up a level, which is put again without hashing, so it is a slight overcount.");
        report.Note("Hash-bound µs per key = hashes per key / the Keccak rate above: the cost if the update did nothing but hash. Depth = mean proof length (siblings) of random existing keys.");
        report.Write();
        return 0;
    }

    private sealed record Settings(
        int[] Sizes, int Batch, int Rounds, int Warmup, int Seed, int FillChunk, int Proofs, double KeccakSeconds, TimeSpan FillLimit,
        ColumnCompression Compression, int BlockKib, int CacheMib);

    private sealed record SizeResult(
        int Size, double FillSeconds, double DiskMiB, double Depth, int MaxDepth, double MicrosecondsPerKey, double MicrosecondsPerKeyP50,
        double UpdateShare, double WriteShare, double CommitShare, double ReadsPerKey, double MicrosecondsPerRead, double ReadShare,
        double PutsPerKey, double DeletesPerKey, double PendingPerKey)
    {
        public double HashBoundMicroseconds(double keccakPerSecond) => PutsPerKey / keccakPerSecond * 1e6;
    }

    private static SizeResult? Measure(int size, Settings settings)
    {
        Console.WriteLine($"n = {size:N0}:");
        var directory = Path.Combine(Path.GetTempPath(), $"rollup-bench-stateroot-{Guid.NewGuid():N}");
        var random = new Random(settings.Seed);
        try
        {
            var options = new RocksDbOptions
            {
                BlockCacheBytes = (long)settings.CacheMib << 20,
                Columns = new ColumnOptions { Compression = settings.Compression, BlockSizeBytes = settings.BlockKib << 10 },
            };
            using var db = RocksDb.Open<StateColumn>(directory, options);
            var store = new RocksMerkleNodeStore(db, StateTrees.AccountsTreeId());
            var counting = new CountingNodeStore(store);
            var tree = new SparseMerkleTree(counting);
            using var batch = db.CreateWriteBatch();

            var keys = RandomKeys(random, size);
            var fillStart = Stopwatch.GetTimestamp();
            if (!Fill(tree, store, batch, keys, random, settings, fillStart))
            {
                return null;
            }
            db.Flush();
            var fillSeconds = Stopwatch.GetElapsedTime(fillStart).TotalSeconds;
            var settled = WaitForCompactions(db, TimeSpan.FromMinutes(3));
            var diskMiB = DirectorySize(directory) / (double)(1 << 20);
            Console.WriteLine($"  filled in {fillSeconds:F1} s ({size / fillSeconds:N0} keys/s), flushed, compactions {(settled ? "done" : "still running")}; {diskMiB:N0} MiB on disk");

            var depthTotal = 0L;
            var maxDepth = 0;
            for (var i = 0; i < settings.Proofs; i++)
            {
                var depth = tree.GetProof(keys[random.Next(size)]).Siblings.Count;
                depthTotal += depth;
                maxDepth = Math.Max(maxDepth, depth);
            }
            var meanDepth = depthTotal / (double)settings.Proofs;

            var updates = new MerkleUpdate[settings.Batch];
            var picked = new HashSet<int>();
            Span<byte> bytes = stackalloc byte[Hash256.Length];
            var perKey = new List<double>();
            long updateTicks = 0, writeTicks = 0, commitTicks = 0, reads = 0, readTicks = 0, puts = 0, deletes = 0, pending = 0;
            for (var round = -settings.Warmup; round < settings.Rounds; round++)
            {
                picked.Clear();
                var existing = settings.Batch / 2;
                while (picked.Count < existing)
                {
                    picked.Add(random.Next(size));
                }
                var u = 0;
                foreach (var index in picked)
                {
                    random.NextBytes(bytes);
                    updates[u++] = new MerkleUpdate(keys[index], new Hash256(bytes));
                }
                while (u < updates.Length)
                {
                    random.NextBytes(bytes);
                    var key = new Hash256(bytes);
                    random.NextBytes(bytes);
                    updates[u++] = new MerkleUpdate(key, new Hash256(bytes));
                }

                counting.Reset();
                var start = Stopwatch.GetTimestamp();
                tree.Update(updates);
                var updated = Stopwatch.GetTimestamp();
                var written = store.PendingCount;
                store.WriteTo(batch);
                var batched = Stopwatch.GetTimestamp();
                batch.Commit();
                var committed = Stopwatch.GetTimestamp();
                if (round < 0)
                {
                    continue;
                }
                updateTicks += updated - start;
                writeTicks += batched - updated;
                commitTicks += committed - batched;
                reads += counting.Reads;
                readTicks += counting.ReadTicks;
                puts += counting.Puts;
                deletes += counting.Deletes;
                pending += written;
                perKey.Add(TicksToMicroseconds(committed - start) / settings.Batch);
            }

            var keysChanged = (double)settings.Rounds * settings.Batch;
            var totalTicks = (double)(updateTicks + writeTicks + commitTicks);
            var result = new SizeResult(
                size, fillSeconds, diskMiB, meanDepth, maxDepth,
                MicrosecondsPerKey: TicksToMicroseconds(totalTicks) / keysChanged,
                MicrosecondsPerKeyP50: Percentiles.Of(perKey, 0.5),
                UpdateShare: updateTicks / totalTicks,
                WriteShare: writeTicks / totalTicks,
                CommitShare: commitTicks / totalTicks,
                ReadsPerKey: reads / keysChanged,
                MicrosecondsPerRead: TicksToMicroseconds(readTicks) / reads,
                ReadShare: readTicks / totalTicks,
                PutsPerKey: puts / keysChanged,
                DeletesPerKey: deletes / keysChanged,
                PendingPerKey: pending / keysChanged);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.MicrosecondsPerKey:F2} µs/key (p50 of batches {result.MicrosecondsPerKeyP50:F2}); update {result.UpdateShare:P0}, to batch {result.WriteShare:P0}, commit {result.CommitShare:P0}; {result.ReadsPerKey:F1} reads/key at {result.MicrosecondsPerRead:F2} µs ({result.ReadShare:P0} of the time); {result.PutsPerKey:F1} puts/key; depth {meanDepth:F1} (max {maxDepth})"));
            return result;
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static Hash256[] RandomKeys(Random random, int count)
    {
        var keys = new Hash256[count];
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            random.NextBytes(bytes);
            keys[i] = new Hash256(bytes);
        }
        Array.Sort(keys);
        return keys;
    }

    /// <summary>Inserts the sorted keys chunk by chunk, committing each; false when the fill would exceed the limit.</summary>
    private static bool Fill(SparseMerkleTree tree, RocksMerkleNodeStore store, RocksWriteBatch<StateColumn> batch, Hash256[] keys, Random random, Settings settings, long start)
    {
        var chunk = new MerkleUpdate[Math.Min(settings.FillChunk, keys.Length)];
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        var nextProgress = 1_000_000;
        for (var offset = 0; offset < keys.Length; offset += chunk.Length)
        {
            var count = Math.Min(chunk.Length, keys.Length - offset);
            for (var i = 0; i < count; i++)
            {
                random.NextBytes(bytes);
                chunk[i] = new MerkleUpdate(keys[offset + i], new Hash256(bytes));
            }
            tree.Update(chunk.AsSpan(0, count));
            store.WriteTo(batch);
            batch.Commit();
            var filled = offset + count;
            if (filled >= nextProgress || filled == keys.Length)
            {
                var elapsed = Stopwatch.GetElapsedTime(start);
                var projected = elapsed * (keys.Length / (double)filled);
                Console.WriteLine($"  filled {filled:N0} / {keys.Length:N0} keys in {elapsed.TotalSeconds:F0} s ({filled / elapsed.TotalSeconds:N0} keys/s, projected {projected.TotalMinutes:F1} min)");
                nextProgress += 1_000_000;
                if (projected > settings.FillLimit && filled < keys.Length)
                {
                    Console.WriteLine($"  stopping: the fill would take more than {settings.FillLimit.TotalMinutes:F0} minutes");
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>Waits until RocksDB has no compaction running or pending, so the timed batches have the cores.</summary>
    private static bool WaitForCompactions(RocksDb<StateColumn> db, TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < limit)
        {
            var running = db.GetIntProperty(StateColumn.MerkleNodes, "rocksdb.num-running-compactions") ?? 0;
            var pending = db.GetIntProperty(StateColumn.MerkleNodes, "rocksdb.compaction-pending") ?? 0;
            var flushes = db.GetIntProperty(StateColumn.MerkleNodes, "rocksdb.num-running-flushes") ?? 0;
            if (running == 0 && pending == 0 && flushes == 0)
            {
                return true;
            }
            Thread.Sleep(250);
        }
        return false;
    }

    private static long DirectorySize(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);

    private static double TicksToMicroseconds(double ticks) => ticks * 1e6 / Stopwatch.Frequency;

    private static void AddSize(CustomReport report, SizeResult r, Settings settings, double keccak)
    {
        var n = r.Size.ToString("N0", CultureInfo.InvariantCulture);
        report.Section($"n = {n} keys (filled in {r.FillSeconds:F0} s, {r.DiskMiB:N0} MiB on disk)");
        var hashBound = r.HashBoundMicroseconds(keccak);
        report.Add($"n{r.Size}.us_per_key", $"µs per changed key (mean of {settings.Rounds} batches of {settings.Batch})", r.MicrosecondsPerKey, "µs",
            $"hash-bound {hashBound:F2} µs: hashing is {hashBound / r.MicrosecondsPerKey:P0} of it", 2);
        report.Add($"n{r.Size}.us_per_key.p50", "µs per changed key, p50 of batches", r.MicrosecondsPerKeyP50, "µs", "", 2);
        report.Add($"n{r.Size}.keys_per_s", "changed keys per second (one thread)", 1e6 / r.MicrosecondsPerKey, "key/s",
            $"{keccak / r.PutsPerKey:N0} key/s if only hashing", 0);
        report.Add($"n{r.Size}.hashes_per_key", "Keccak-256 hashes per changed key (node puts)", r.PutsPerKey, "hash", $"depth + 1 = {r.Depth + 1:F1}", 2);
        report.Add($"n{r.Size}.reads_per_key", "node reads per changed key", r.ReadsPerKey, "read", "", 2);
        report.Add($"n{r.Size}.us_per_read", "µs per node read (RocksDB get, through the store)", r.MicrosecondsPerRead, "µs",
            $"reads are {r.ReadShare:P0} of the time", 3);
        report.Add($"n{r.Size}.nodes_written_per_key", "nodes written per changed key (distinct positions put or deleted)", r.PendingPerKey, "node", $"deletes {r.DeletesPerKey:F2}/key", 2);
        report.Add($"n{r.Size}.depth", "tree depth: mean proof length", r.Depth, "level", $"log2 n = {Math.Log2(r.Size):F1}; max seen {r.MaxDepth}", 2);
        report.Add($"n{r.Size}.share.update", "share in SparseMerkleTree.Update (reads + hashing)", r.UpdateShare * 100, "%",
            $"to write batch {r.WriteShare:P0}, batch commit {r.CommitShare:P0}", 1);
    }

    /// <summary>Counts what the tree asks of its store, and the time spent in reads.</summary>
    private sealed class CountingNodeStore(IMerkleNodeStore inner) : IMerkleNodeStore
    {
        public long Reads { get; private set; }

        public long ReadTicks { get; private set; }

        public long Puts { get; private set; }

        public long Deletes { get; private set; }

        public bool TryGet(int depth, in Hash256 path, out MerkleNode node)
        {
            var start = Stopwatch.GetTimestamp();
            var found = inner.TryGet(depth, path, out node);
            ReadTicks += Stopwatch.GetTimestamp() - start;
            Reads++;
            return found;
        }

        public void Put(int depth, in Hash256 path, in MerkleNode node)
        {
            Puts++;
            inner.Put(depth, path, node);
        }

        public void Delete(int depth, in Hash256 path)
        {
            Deletes++;
            inner.Delete(depth, path);
        }

        public void Reset() => Reads = ReadTicks = Puts = Deletes = 0;
    }
}
