using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Rollup.Execution.Blocks;
using Rollup.Execution.Parallel;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Storage;
using Rollup.Testing;

namespace Rollup.Bench.Custom;

/// <summary>
/// Full block execution as a node does it: <see cref="ExecutionEngine.Execute"/> on RocksDB in a temp
/// directory (every table and tree written, one write batch committed per block, state root computed), over
/// blocks generated before the clock starts. The flow is <see cref="TradingFlowGenerator"/>'s, a venue's flow (makers
/// quoting, takers crossing and cancelling, margin moved within what is free), most of it accepted; <c>--flow chain</c>
/// runs <see cref="ChainFlowGenerator"/>'s random test flow instead, which the tests use and which is about half
/// rejected. The headline counts accepted transactions, as a user would. Two runs over the same flow:
/// pre-verified (<see cref="EngineOptions.VerifySignatures"/> off: what a sequencer does with transactions it
/// admitted) and signed (on: what a validator replaying L1 data does), the second compared with the machine's
/// signature-recovery ceiling measured in the same run. Both runs must reach the same state roots.
/// Usage: <c>rollup-bench engine [--blocks 50] [--txs 10000] [--markets 16] [--workers 2] [--accounts 1000]
/// [--warmup 5] [--seed 7] [--ceiling-seconds 3] [--breakdown on|off] [--signed on|off] [--flow trading|chain]
/// [--layout off|on]</c>; <c>--layout on</c> keeps every market's provable layout in the pre-verified run.
/// </summary>
internal static class EngineBench
{
    /// <summary>The sequencer's goal for pre-verified blocks on this machine, in accepted transactions per second.</summary>
    private const double PreVerifiedGoal = 300_000;

    private const int SyntheticBlocks = 5;
    private const int EmptyBlocks = 10;

    private static readonly string[] Options =
        ["blocks", "warmup", "txs", "markets", "workers", "accounts", "seed", "ceiling-seconds", "breakdown", "signed", "flow", "layout"];

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!BenchArgs.TryParse(args, Options, out var parsed, out var error))
        {
            Console.Error.WriteLine($"engine: {error}");
            return 2;
        }
        var settings = new Settings(
            Blocks: parsed.Int("blocks", 50),
            Warmup: parsed.Int("warmup", 5),
            Txs: parsed.Int("txs", 10_000),
            Markets: parsed.Int("markets", 16),
            Workers: parsed.Int("workers", 2),
            Accounts: parsed.Int("accounts", 1_000),
            Seed: parsed.Int("seed", 7),
            CeilingSeconds: parsed.Double("ceiling-seconds", 3),
            Breakdown: parsed.String("breakdown", "on") != "off",
            Signed: parsed.String("signed", "on") != "off",
            Flow: parsed.String("flow", "trading"),
            Layout: parsed.String("layout", "off") == "on");
        if (settings.Flow is not ("trading" or "chain"))
        {
            Console.Error.WriteLine($"engine: --flow is trading or chain, not {settings.Flow}");
            return 2;
        }

        var report = new CustomReport("engine", "full block execution with RocksDB commit and state root");
        report.Parameter("--blocks", settings.Blocks);
        report.Parameter("--warmup", settings.Warmup);
        report.Parameter("--txs", settings.Txs);
        report.Parameter("--markets", settings.Markets);
        report.Parameter("--workers", settings.Workers);
        report.Parameter("--accounts", settings.Accounts);
        report.Parameter("--seed", settings.Seed);
        report.Parameter("--flow", settings.Flow);
        report.Parameter("--layout", settings.Layout ? "on" : "off");
        Console.WriteLine($"engine: {settings}");

        // The machine's limits first, on an idle process (nothing else of ours runs meanwhile), and again at the end.
        var ceilingDuration = TimeSpan.FromSeconds(settings.CeilingSeconds);
        var limitsBefore = CpuLimits.Measure(ceilingDuration);
        var storage = StorageLimits.Measure();
        Console.WriteLine($"limit: RocksDB batched put {storage.PutMicroseconds:F2} µs/entry ({storage.SortedPutMicroseconds:F2} sorted), point get {storage.GetMicroseconds:F2} µs");

        // (a) Pre-verified. One untimed pass over the whole flow on a throwaway engine first: the engine's
        // once-per-block methods need dozens of calls before tiered compilation promotes them, and without
        // this the first measured run would be partly tier-0 code while later ones are not.
        var plain = Generate(settings, domain: null);
        Execute(plain, settings.Workers, verify: false, "JIT warm-up (untimed)", afterwards: null);
        Breakdown? breakdown = null;
        var preVerified = Execute(plain, settings.Workers, verify: false, settings.Layout ? "pre-verified, provable layout kept" : "pre-verified",
            settings.Breakdown ? engine => breakdown = MeasureBreakdown(engine, plain, settings) : null, settings.Layout);
        var oneWorker = settings.Breakdown && settings.Workers != 1
            ? Execute(plain, 1, verify: false, "pre-verified, 1 worker", afterwards: null)
            : null;

        // (b) Signed: the same flow (same seed, so the same transactions), every one signed with its account's key.
        // (--signed off skips it, for quick runs and profiles of the rest.)
        SignaturePhase? phase0 = null;
        EngineRun? signed = null;
        if (settings.Signed)
        {
            var domain = RollupDomain.Create(new EngineOptions().ChainId, new EngineOptions().SettlementContract);
            var signedFlow = Generate(settings, domain);
            phase0 = MeasureSignaturePhase(signedFlow, domain, settings.Workers);
            signed = Execute(signedFlow, settings.Workers, verify: true, "signed", afterwards: null);
        }

        var ceiling = ReportLimits(report, limitsBefore, CpuLimits.Measure(ceilingDuration), storage);

        var rootsMatch = (signed is null || preVerified.Roots.SequenceEqual(signed.Roots))
            && (oneWorker is null || preVerified.Roots.SequenceEqual(oneWorker.Roots));
        Console.WriteLine(rootsMatch
            ? "state roots: identical in every run"
            : "state roots: DIFFER between runs (a bug, or signatures rejected in the signed run)");

        ReportRuns(report, settings, ceiling, preVerified, signed, rootsMatch);
        if (breakdown is not null)
        {
            ReportBreakdown(report, settings, ceiling, preVerified, oneWorker, breakdown, signed, phase0);
        }
        report.Write();
        return rootsMatch ? 0 : 1;
    }

    private sealed record Settings(int Blocks, int Warmup, int Txs, int Markets, int Workers, int Accounts, int Seed, double CeilingSeconds, bool Breakdown, bool Signed, string Flow, bool Layout);

    private sealed record Limits(double Recover1, double RecoverAll, double Keccak, StorageLimits.Result Storage);

    private sealed record Flow(Block[] Setup, Block[] Warmup, Block[] Timed);

    private sealed record Breakdown(double EmptyMs, double DepositsMs, double OneAccountDepositsMs, double OneMarketMs, double OneMarketAccepted, uint OneMarket);

    private sealed record SignaturePhase(double MsPerBlock, double RecoveriesPerSecond, double DigestMicroseconds);

    private sealed class EngineRun
    {
        public List<double> BlockMs { get; } = [];

        public List<Hash256> Roots { get; } = [];

        public Dictionary<TxStatus, int> Rejections { get; } = [];

        /// <summary>Transactions and accepted ones, by kind.</summary>
        public Dictionary<TxKind, (long Total, long Accepted)> Kinds { get; } = [];

        /// <summary>Rejections by kind and status.</summary>
        public Dictionary<(TxKind Kind, TxStatus Status), int> RejectedKinds { get; } = [];

        public long AcceptedOrders { get; set; }

        /// <summary>Trades (maker-taker matches) of the timed blocks, liquidations into the book included.</summary>
        public long Fills { get; set; }

        public long Transactions { get; set; }

        public long Signed { get; set; }

        public long Accepted { get; set; }

        public int Faulted { get; set; }

        public long AllocatedBytes { get; set; }

        public TimeSpan GcPause { get; set; }

        /// <summary>CPU time of every thread of the process over the timed blocks (RocksDB's background threads included).</summary>
        public TimeSpan Cpu { get; set; }

        public int[] Collections { get; } = new int[3];

        /// <summary>Summed wall time of the timed blocks' phases (signatures, A, B, C, the batch commit inside C), ms.</summary>
        public double[] PhaseMs { get; } = new double[5];

        /// <summary>Mean memtable entries (puts and deletes) one timed block added, per column; empty when unknown.</summary>
        public Dictionary<StateColumn, double> EntriesPerBlock { get; } = [];

        public double Seconds => BlockMs.Sum() / 1000;

        public double TxPerSecond => Transactions / Seconds;

        public double AcceptedShare => (double)Accepted / Transactions;

        public double AcceptedPerSecond => Accepted / Seconds;
    }

    private sealed record CpuLimits(double Recover1, double RecoverAll, double Keccak)
    {
        public static CpuLimits Measure(TimeSpan duration)
        {
            var recover1 = RecoveryCeiling.RecoveriesPerSecond(1, duration);
            var recoverAll = Environment.ProcessorCount > 1 ? RecoveryCeiling.RecoveriesPerSecond(Environment.ProcessorCount, duration) : recover1;
            var keccak = RecoveryCeiling.Keccak64PerSecond(duration);
            Console.WriteLine($"ceiling: secp256k1 recover {recover1:N0}/s on 1 thread, {recoverAll:N0}/s on {Environment.ProcessorCount}; keccak-256(64 B) {keccak:N0}/s on 1 thread");
            return new CpuLimits(recover1, recoverAll, keccak);
        }
    }

    /// <summary>
    /// The limits are measured before and after the engine runs, and the better of the two is the machine's: other
    /// work on a shared machine can only lower a measurement. Both are printed, so a disturbed one shows.
    /// </summary>
    private static Limits ReportLimits(CustomReport report, CpuLimits before, CpuLimits after, StorageLimits.Result storage)
    {
        var best = new Limits(Math.Max(before.Recover1, after.Recover1), Math.Max(before.RecoverAll, after.RecoverAll), Math.Max(before.Keccak, after.Keccak), storage);
        report.Section("Machine limits, measured in this run (best of before and after the engine runs)");
        report.Add("limit.secp256k1.recover.threads1", "secp256k1 recover to address, 1 thread", best.Recover1, "op/s",
            $"before {before.Recover1:N0}, after {after.Recover1:N0}", 0);
        report.Add($"limit.secp256k1.recover.threads{Environment.ProcessorCount}", $"secp256k1 recover to address, {Environment.ProcessorCount} threads (ceiling for signed blocks)", best.RecoverAll, "op/s",
            $"before {before.RecoverAll:N0}, after {after.RecoverAll:N0}; {best.RecoverAll / best.Recover1:F2}x one thread", 0);
        report.Add("limit.keccak256.64B.threads1", "Keccak-256 of 64 bytes, 1 thread", best.Keccak, "op/s",
            $"before {before.Keccak:N0}, after {after.Keccak:N0}; goal >= 1,500,000 /s", 0);
        AddStorageLimits(report, storage);
        return best;
    }

    /// <summary>The storage rows of a "machine limits" table (the engine and stateroot reports share them).</summary>
    public static void AddStorageLimits(CustomReport report, StorageLimits.Result storage)
    {
        report.Add("limit.rocksdb.batched_put_us", $"RocksDB put of a Merkle-node-sized entry in {storage.EntriesPerBatch:N0}-entry batches, WAL on (random key order)", storage.PutMicroseconds, "µs/entry",
            $"{1e6 / storage.PutMicroseconds:N0} entries/s on the committing thread", 3);
        report.Add("limit.rocksdb.batched_put_sorted_us", "same, each batch sorted by key", storage.SortedPutMicroseconds, "µs/entry",
            $"{storage.PutMicroseconds / storage.SortedPutMicroseconds:F2}x the random order's rate", 3);
        report.Add("limit.rocksdb.point_get_us", "RocksDB point get of a present entry (memtable and block cache)", storage.GetMicroseconds, "µs", "", 3);
    }

    private static Flow Generate(Settings settings, Eip712Domain? domain)
    {
        var stopwatch = Stopwatch.StartNew();
        using var trading = settings.Flow == "trading" ? new TradingFlowGenerator(settings.Seed, settings.Markets, settings.Accounts, domain) : null;
        var chain = trading is null ? new ChainFlowGenerator(settings.Seed, settings.Markets, settings.Accounts, domain) : null;
        Block Next() => trading?.Next(settings.Txs) ?? chain!.Next(settings.Txs);
        Block[] setup = [Next(), Next()];
        var warmup = new Block[settings.Warmup];
        for (var i = 0; i < warmup.Length; i++)
        {
            warmup[i] = Next();
        }
        var timed = new Block[settings.Blocks];
        for (var i = 0; i < timed.Length; i++)
        {
            timed[i] = Next();
        }
        Console.WriteLine($"generated {setup.Length} setup + {warmup.Length} warm-up + {timed.Length} timed blocks{(domain is null ? "" : ", signed,")} in {stopwatch.Elapsed.TotalSeconds:F1} s (untimed)");
        return new Flow(setup, warmup, timed);
    }

    /// <summary>Executes the setup and warm-up blocks untimed, then the timed ones, each alone on the clock.</summary>
    private static EngineRun Execute(Flow flow, int workers, bool verify, string label, Action<ExecutionEngine>? afterwards, bool layout = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"rollup-bench-engine-{Guid.NewGuid():N}");
        try
        {
            using var engine = ExecutionEngine.Open(directory, new EngineOptions
            {
                Operators = ChainFlowGenerator.Operators,
                Workers = workers,
                VerifySignatures = verify,
                KeepProvableLayout = layout,
            });
            foreach (var block in flow.Setup.Concat(flow.Warmup))
            {
                var result = engine.Execute(block);
                if (result.FaultedMarkets.Count > 0)
                {
                    Console.WriteLine($"  warning: block {block.Number}: markets {string.Join(",", result.FaultedMarkets)} faulted");
                }
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            var run = new EngineRun();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var pauseBefore = GC.GetTotalPauseDuration();
            var collectionsBefore = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
            var writes = WriteCounter.For(engine);
            var cpuBefore = Environment.CpuUsage.TotalTime;
            foreach (var block in flow.Timed)
            {
                writes.Before();
                var start = Stopwatch.GetTimestamp();
                var result = engine.Execute(block);
                run.BlockMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                var phases = engine.LastPhaseTimes;
                run.PhaseMs[0] += BlockPhaseTimes.Milliseconds(phases.Signatures);
                run.PhaseMs[1] += BlockPhaseTimes.Milliseconds(phases.AccountPhase);
                run.PhaseMs[2] += BlockPhaseTimes.Milliseconds(phases.MarketPhase);
                run.PhaseMs[3] += BlockPhaseTimes.Milliseconds(phases.Commit);
                run.PhaseMs[4] += BlockPhaseTimes.Milliseconds(phases.BatchCommit);
                writes.After();
                run.Roots.Add(result.StateRoot);
                run.Faulted += result.FaultedMarkets.Count;
                run.Transactions += block.Transactions.Length;
                foreach (ref readonly var tx in block.Transactions.AsSpan())
                {
                    run.Signed += tx.Kind == TxKind.Deposit ? 0 : 1;
                }
                Count(run, block, result);
            }
            run.Cpu = Environment.CpuUsage.TotalTime - cpuBefore;
            run.AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            run.GcPause = GC.GetTotalPauseDuration() - pauseBefore;
            for (var g = 0; g < 3; g++)
            {
                run.Collections[g] = GC.CollectionCount(g) - collectionsBefore[g];
            }
            writes.CopyMeansTo(run.EntriesPerBlock);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-24} {run.AcceptedPerSecond,10:N0} accepted tx/s ({run.TxPerSecond:N0} tx/s, {run.AcceptedOrders / run.Seconds:N0} orders/s, {run.Fills / run.Seconds:N0} fills/s)   block p50 {Percentiles.Of(run.BlockMs, 0.5),7:F1} ms  p99 {Percentiles.Of(run.BlockMs, 0.99),7:F1} ms   CPU {run.Cpu.TotalMilliseconds / flow.Timed.Length,6:F1} ms/block   accepted {run.AcceptedShare:P1}   {run.AllocatedBytes / (double)flow.Timed.Length / (1 << 20):F1} MiB allocated/block   GC pause {run.GcPause.TotalMilliseconds / flow.Timed.Length:F2} ms/block   gen0/1/2 {run.Collections[0]}/{run.Collections[1]}/{run.Collections[2]}"));
            var n = flow.Timed.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"",-24} phases (mean ms/block): signatures {run.PhaseMs[0] / n:F1}  A {run.PhaseMs[1] / n:F1}  B {run.PhaseMs[2] / n:F1}  C {run.PhaseMs[3] / n:F1} (batch commit {run.PhaseMs[4] / n:F1})"));
            if (run.Faulted > 0)
            {
                Console.WriteLine($"  warning: {run.Faulted} market faults in timed blocks");
            }
            afterwards?.Invoke(engine);
            return run;
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>What a user counts: accepted transactions and orders, trades; and why the others were refused.</summary>
    private static void Count(EngineRun run, Block block, BlockResult result)
    {
        foreach (var receipt in result.Receipts)
        {
            var kind = block.Transactions[receipt.TxIndex].Kind;
            var (total, accepted) = run.Kinds.GetValueOrDefault(kind);
            run.Kinds[kind] = (total + 1, accepted + (receipt.IsAccepted ? 1 : 0));
            if (receipt.IsAccepted)
            {
                run.Accepted++;
                run.AcceptedOrders += kind == TxKind.PlaceOrder ? 1 : 0;
            }
            else
            {
                run.Rejections[receipt.Status] = run.Rejections.GetValueOrDefault(receipt.Status) + 1;
                run.RejectedKinds[(kind, receipt.Status)] = run.RejectedKinds.GetValueOrDefault((kind, receipt.Status)) + 1;
            }
        }
        foreach (var e in result.Events)
        {
            run.Fills += e.Kind == EventKind.Fill ? 1 : 0;
        }
    }

    /// <summary>
    /// How many entries each block writes into RocksDB, per column: the engine's memtable entry counts before
    /// and after the block (a block during which a memtable was flushed is left out). The engine does not
    /// expose its database, so this reads the private <c>_db</c> field by reflection: a diagnostic that
    /// quietly reports nothing if the field is renamed.
    /// </summary>
    private sealed class WriteCounter
    {
        private static readonly StateColumn[] Columns = Enum.GetValues<StateColumn>();

        private readonly RocksDb<StateColumn>? _db;
        private readonly ulong[] _before = new ulong[Columns.Length];
        private readonly long[] _sums = new long[Columns.Length];
        private readonly int[] _blocks = new int[Columns.Length];

        private WriteCounter(RocksDb<StateColumn>? db) => _db = db;

        public static WriteCounter For(ExecutionEngine engine) =>
            new(typeof(ExecutionEngine).GetField("_db", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(engine) as RocksDb<StateColumn>);

        public void Before()
        {
            for (var i = 0; i < Columns.Length; i++)
            {
                _before[i] = Entries(Columns[i]);
            }
        }

        public void After()
        {
            for (var i = 0; i < Columns.Length; i++)
            {
                var now = Entries(Columns[i]);
                if (now >= _before[i])
                {
                    _sums[i] += (long)(now - _before[i]);
                    _blocks[i]++;
                }
            }
        }

        public void CopyMeansTo(Dictionary<StateColumn, double> means)
        {
            if (_db is null)
            {
                return;
            }
            for (var i = 0; i < Columns.Length; i++)
            {
                if (_blocks[i] > 0)
                {
                    means[Columns[i]] = _sums[i] / (double)_blocks[i];
                }
            }
        }

        private ulong Entries(StateColumn column) => _db is null
            ? 0
            : (_db.GetIntProperty(column, "rocksdb.num-entries-active-mem-table") ?? 0) + (_db.GetIntProperty(column, "rocksdb.num-entries-imm-mem-tables") ?? 0);
    }

    /// <summary>
    /// Phase 0 alone, as the engine runs it (every transaction of the block on the worker pool, digest then
    /// recovery), and the EIP-712 digest alone on one thread: how much of a signed block is signatures.
    /// </summary>
    private static SignaturePhase MeasureSignaturePhase(Flow flow, Eip712Domain domain, int workers)
    {
        using var pool = new WorkerPool(workers);
        // One untimed block: JIT and the native context.
        var first = flow.Warmup.Length > 0 ? flow.Warmup[0] : flow.Timed[0];
        pool.Run(new RecoverJob(first.Transactions, domain, new bool[first.Transactions.Length]), first.Transactions.Length);
        var ms = new List<double>();
        long recovered = 0;
        var seconds = 0.0;
        foreach (var block in flow.Timed)
        {
            var job = new RecoverJob(block.Transactions, domain, new bool[block.Transactions.Length]);
            var start = Stopwatch.GetTimestamp();
            pool.Run(job, block.Transactions.Length);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            ms.Add(elapsed);
            seconds += elapsed / 1000;
            recovered += job.Recovered;
            if (job.Invalid > 0)
            {
                Console.WriteLine($"  warning: block {block.Number}: {job.Invalid} signatures did not verify");
            }
        }

        var digests = 0L;
        var digestStart = Stopwatch.GetTimestamp();
        foreach (var block in flow.Timed)
        {
            foreach (ref readonly var tx in block.Transactions.AsSpan())
            {
                if (tx.Kind != TxKind.Deposit)
                {
                    _ = TransactionSigning.SigningDigest(tx, domain);
                    digests++;
                }
            }
        }
        var digestMicroseconds = Stopwatch.GetElapsedTime(digestStart).TotalMicroseconds / digests;
        var phase = new SignaturePhase(Percentiles.Of(ms, 0.5), recovered / seconds, digestMicroseconds);
        Console.WriteLine($"phase 0 alone ({workers} workers): {phase.MsPerBlock:F1} ms/block p50, {phase.RecoveriesPerSecond:N0} recoveries/s; EIP-712 digest alone {digestMicroseconds:F2} µs/tx on 1 thread");
        return phase;
    }

    /// <summary>Phase 0's work, as <c>SignatureJob</c> does it: a deposit is valid, anything else when its signer is its account.</summary>
    private sealed class RecoverJob(Transaction[] transactions, Eip712Domain domain, bool[] valid) : IParallelJob
    {
        private int _recovered;
        private int _invalid;

        public int Recovered => _recovered;

        public int Invalid => _invalid;

        public void Execute(int index)
        {
            ref readonly var tx = ref transactions[index];
            if (tx.Kind == TxKind.Deposit)
            {
                valid[index] = true;
                return;
            }
            valid[index] = TransactionSigning.TryRecoverSigner(tx, domain, out var signer) == SignatureError.None && signer == tx.Account;
            Interlocked.Increment(ref _recovered);
            if (!valid[index])
            {
                Interlocked.Increment(ref _invalid);
            }
        }
    }

    /// <summary>
    /// Blocks of one kind of work on the warmed-up engine of the pre-verified run (after its timed blocks):
    /// empty blocks (the fixed cost: funding when due, the roots, the batch, the head), blocks of deposits only
    /// (phase A and the accounts tree); and, on a fresh engine, blocks of only the busiest market's share of the
    /// timed flow.
    /// </summary>
    private static Breakdown MeasureBreakdown(ExecutionEngine engine, Flow flow, Settings settings)
    {
        var time = engine.Head.Timestamp;
        Block NextBlock(Transaction[] transactions)
        {
            time = Math.Max(time + 250, engine.Head.Timestamp);
            return new Block(engine.Head.BlockNumber + 1, time, transactions);
        }

        var empty = new List<double>();
        for (var i = 0; i < EmptyBlocks; i++)
        {
            empty.Add(Time(engine, NextBlock([]), out _));
        }

        // Deposits to random existing accounts (phase A and the accounts tree), then to one account (phase A alone).
        var random = new Random(settings.Seed);
        List<double> Deposits(int accounts)
        {
            var ms = new List<double>();
            for (var i = 0; i < SyntheticBlocks; i++)
            {
                var next = engine.Head.NextDepositIndex;
                var txs = new Transaction[settings.Txs];
                for (var t = 0; t < txs.Length; t++)
                {
                    txs[t] = new Transaction
                    {
                        Kind = TxKind.Deposit,
                        Account = ChainFlowGenerator.AddressOf(random.Next(1, accounts + 1)),
                        Amount = (ulong)random.NextInt64(1_000_000, 1_000_000_000),
                        DepositIndex = next + (ulong)t,
                    };
                }
                ms.Add(Time(engine, NextBlock(txs), out _));
            }
            return ms;
        }
        var deposits = Deposits(settings.Accounts);
        var oneAccount = Deposits(1);

        var (market, oneMarket, accepted) = MeasureOneMarket(flow, settings);

        var breakdown = new Breakdown(
            Percentiles.Of(empty, 0.5), Percentiles.Of(deposits, 0.5), Percentiles.Of(oneAccount, 0.5), Percentiles.Of(oneMarket, 0.5), accepted, market);
        Console.WriteLine($"breakdown: empty block {breakdown.EmptyMs:F2} ms, {settings.Txs:N0} deposits {breakdown.DepositsMs:F1} ms ({breakdown.OneAccountDepositsMs:F1} ms to one account), {settings.Txs:N0} txs of market {market} alone {breakdown.OneMarketMs:F1} ms (accepted {breakdown.OneMarketAccepted:P1})");
        return breakdown;
    }

    /// <summary>
    /// The busiest market's share of the timed blocks (its orders, cancels, oracle updates, margin moves, pauses,
    /// in order), packed into full blocks and executed on a fresh engine that ran the setup and warm-up blocks:
    /// one market's matching and tree on one worker while the other has nothing to do.
    /// </summary>
    private static (uint Market, List<double> Ms, double Accepted) MeasureOneMarket(Flow flow, Settings settings)
    {
        var counts = new Dictionary<uint, int>();
        foreach (var block in flow.Timed)
        {
            foreach (var tx in block.Transactions)
            {
                if (tx.Kind is not (TxKind.Deposit or TxKind.Withdraw))
                {
                    counts[tx.Market] = counts.GetValueOrDefault(tx.Market) + 1;
                }
            }
        }
        var market = counts.MaxBy(pair => pair.Value).Key;
        var directory = Path.Combine(Path.GetTempPath(), $"rollup-bench-engine-{Guid.NewGuid():N}");
        try
        {
            using var engine = ExecutionEngine.Open(directory, new EngineOptions
            {
                Operators = ChainFlowGenerator.Operators,
                Workers = settings.Workers,
                VerifySignatures = false,
            });
            foreach (var block in flow.Setup.Concat(flow.Warmup))
            {
                engine.Execute(block);
            }
            var ms = new List<double>();
            var pending = new List<Transaction>();
            long accepted = 0, total = 0;
            void Run(ulong timestamp)
            {
                var count = Math.Min(settings.Txs, pending.Count);
                var block = new Block(engine.Head.BlockNumber + 1, Math.Max(timestamp, engine.Head.Timestamp), [.. pending.Take(count)]);
                pending.RemoveRange(0, count);
                ms.Add(Time(engine, block, out var result));
                accepted += result.Receipts.Count(r => r.IsAccepted);
                total += result.Receipts.Length;
            }
            foreach (var source in flow.Timed)
            {
                pending.AddRange(source.Transactions.Where(tx => tx.Market == market && tx.Kind is not (TxKind.Deposit or TxKind.Withdraw)));
                if (pending.Count >= settings.Txs)
                {
                    Run(source.Timestamp);
                }
            }
            if (ms.Count == 0 && pending.Count > 0)
            {
                Run(flow.Timed[^1].Timestamp);
            }
            return (market, ms, (double)accepted / Math.Max(1, total));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static double Time(ExecutionEngine engine, Block block, out BlockResult result)
    {
        var start = Stopwatch.GetTimestamp();
        result = engine.Execute(block);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static void ReportRuns(CustomReport report, Settings settings, Limits ceiling, EngineRun preVerified, EngineRun? signed, bool rootsMatch)
    {
        var blocks = settings.Blocks;
        report.Section($"(a) Pre-verified: VerifySignatures = false, {settings.Workers} workers");
        report.Add("preverified.accepted_tx_per_s", "**accepted transactions / wall time of Execute**", preVerified.AcceptedPerSecond, "tx/s",
            $"goal >= {PreVerifiedGoal:N0} accepted tx/s: {preVerified.AcceptedPerSecond / PreVerifiedGoal:P0} of it; {preVerified.AcceptedPerSecond / ceiling.RecoverAll:F1}x the recovery ceiling ({ceiling.RecoverAll:N0}/s on {Environment.ProcessorCount} cores), which bounds any signed replay of it", 0);
        report.Add("preverified.accepted_orders_per_s", "accepted orders / wall time", preVerified.AcceptedOrders / preVerified.Seconds, "orders/s",
            $"{(double)preVerified.AcceptedOrders / preVerified.Accepted:P0} of the accepted transactions", 0);
        report.Add("preverified.fills_per_s", "fills (maker-taker trades) / wall time", preVerified.Fills / preVerified.Seconds, "fills/s",
            $"{(double)preVerified.Fills / blocks:N0} per block", 0);
        report.Add("preverified.tx_per_s", "all transactions, accepted or rejected / wall time", preVerified.TxPerSecond, "tx/s",
            $"accepted {preVerified.AcceptedShare:P1}", 0);
        AddBlockFigures(report, "preverified", preVerified, blocks);
        AddWriteFigures(report, preVerified);
        AddPerAcceptedFigures(report, preVerified);
        ReportRejections(report, settings, preVerified);
        if (signed is null)
        {
            report.Note("The signed run (b) was skipped (--signed off).");
            return;
        }

        report.Section($"(b) Signed: VerifySignatures = true, {settings.Workers} workers");
        var signaturesPerSecond = signed.Signed / signed.Seconds;
        report.Add("signed.accepted_tx_per_s", "**accepted transactions / wall time of Execute**", signed.AcceptedPerSecond, "tx/s",
            $"{signed.AcceptedPerSecond / preVerified.AcceptedPerSecond:P1} of pre-verified; recovery ceiling {ceiling.RecoverAll:N0}/s", 0);
        report.Add("signed.accepted_orders_per_s", "accepted orders / wall time", signed.AcceptedOrders / signed.Seconds, "orders/s", "", 0);
        report.Add("signed.tx_per_s", "all transactions / wall time", signed.TxPerSecond, "tx/s", $"accepted {signed.AcceptedShare:P1}", 0);
        report.Add("signed.signers_per_s", "signers recovered per second (non-deposit tx / wall time)", signaturesPerSecond, "op/s",
            $"recovery ceiling on {Environment.ProcessorCount} cores {ceiling.RecoverAll:N0}/s", 0);
        report.Add("signed.ratio_to_recovery_ceiling", "ratio to the recovery ceiling (all cores)", signaturesPerSecond / ceiling.RecoverAll, "ratio",
            "1.00 = block execution costs nothing but recovery", 3);
        AddBlockFigures(report, "signed", signed, blocks);
        report.Note(rootsMatch
            ? "The signed and pre-verified runs (and the 1-worker run) reached identical state roots in every timed block: same work, only verification differs."
            : "**The runs reached different state roots**: the signed run rejected signatures or execution is not deterministic.");
        if (signed.Faulted > 0)
        {
            report.Note($"Market faults in the signed run's timed blocks: {signed.Faulted}.");
        }
    }

    /// <summary>
    /// Wall time per accepted transaction, phase by phase, against the budget the goal leaves (1/300k s = 3.33 µs):
    /// where an accepted transaction's time goes, and which phase would have to shrink.
    /// </summary>
    private static void AddPerAcceptedFigures(CustomReport report, EngineRun run)
    {
        var budget = 1e6 / PreVerifiedGoal;
        double Us(double totalMs) => totalMs * 1000 / run.Accepted;
        var total = Us(run.BlockMs.Sum());
        report.Section($"Wall time per accepted transaction, by phase (budget at the goal: {budget:F2} µs)");
        report.Add("per_accepted.total_us", "whole block (Execute)", total, "µs", $"{total / budget:P0} of the budget", 3);
        report.Add("per_accepted.phase_a_us", "phase A: nonces, accounts, routing (serial)", Us(run.PhaseMs[1]), "µs", $"{Us(run.PhaseMs[1]) / total:P0} of the block", 3);
        report.Add("per_accepted.phase_b_us", "phase B, markets on the workers: matching, margin and risk checks, liquidation scan, then each market's records and state tree", Us(run.PhaseMs[2]), "µs", $"{Us(run.PhaseMs[2]) / total:P0} of the block", 3);
        report.Add("per_accepted.phase_c_roots_us", "phase C without the batch commit: margin releases, accounts tree, markets root, block record encoding (serial)", Us(run.PhaseMs[3] - run.PhaseMs[4]), "µs", $"{Us(run.PhaseMs[3] - run.PhaseMs[4]) / total:P0} of the block", 3);
        report.Add("per_accepted.batch_commit_us", "RocksDB write batch commit (serial)", Us(run.PhaseMs[4]), "µs", $"{Us(run.PhaseMs[4]) / total:P0} of the block", 3);
    }

    private static void AddWriteFigures(CustomReport report, EngineRun run)
    {
        if (run.EntriesPerBlock.Count == 0)
        {
            return;
        }
        var leaves = run.EntriesPerBlock.Where(pair => pair.Key is StateColumn.Accounts or StateColumn.Markets or StateColumn.Positions or StateColumn.Orders).Sum(pair => pair.Value);
        var entries = run.EntriesPerBlock.Values.Sum();
        // The engine keeps its trees in memory (docs/state.md); an engine that writes tree nodes shows them here.
        if (run.EntriesPerBlock.GetValueOrDefault(StateColumn.MerkleNodes) is var nodes and > 0)
        {
            report.Add("preverified.merkle_nodes_written_per_block", "Merkle nodes written per block (RocksDB puts + deletes)", nodes, "node",
                $"{nodes / leaves:F1} per changed record: accounts, markets, positions and orders written {leaves:N0}/block", 0);
        }
        report.Add("preverified.us_per_changed_record", "block wall time per changed state record (p50 block / records written)", Percentiles.Of(run.BlockMs, 0.5) * 1000 / leaves, "µs",
            "the block's cost follows the records it touches more than its transaction count", 2);
        report.Add("preverified.rocksdb_entries_per_block", "RocksDB entries written per block, all columns", entries, "entry",
            string.Join(", ", run.EntriesPerBlock.Where(pair => pair.Value > 0).Select(pair => $"{pair.Key} {pair.Value:N0}")), 0);
    }

    private static void ReportRejections(CustomReport report, Settings settings, EngineRun preVerified)
    {
        var blocks = preVerified.BlockMs.Count;
        report.Section("Transactions by kind (timed blocks)");
        foreach (var (kind, (total, accepted)) in preVerified.Kinds.OrderByDescending(pair => pair.Value.Total))
        {
            report.Add($"kinds.{kind}.share", $"{kind}", 100.0 * total / preVerified.Transactions, "% of tx",
                $"{total / (double)blocks:N0} per block, {(double)accepted / total:P1} accepted", 1);
        }
        report.Section("Rejections by status (timed blocks)");
        report.Add("rejected.share", "all rejections", 100.0 * (preVerified.Transactions - preVerified.Accepted) / preVerified.Transactions, "% of tx",
            $"{(preVerified.Transactions - preVerified.Accepted) / (double)blocks:N0} per block", 2);
        foreach (var (status, count) in preVerified.Rejections.OrderByDescending(pair => pair.Value))
        {
            var kinds = preVerified.RejectedKinds.Where(pair => pair.Key.Status == status).OrderByDescending(pair => pair.Value)
                .Select(pair => $"{pair.Key.Kind} {pair.Value:N0}");
            report.Add($"rejected.{status}", $"{status}", 100.0 * count / preVerified.Transactions, "% of tx",
                $"{count / (double)blocks:N1} per block; {string.Join(", ", kinds)}", 2);
        }
        report.Note(settings.Flow == "trading"
            ? "The flow is TradingFlowGenerator's: makers keep post-only ladders around an oracle that moves twice a block per market (timestamps on the block clock), takers cross, rest and cancel their own orders, margin moves within what the state shows free. Every participant acts on the state at the start of the block (the generator runs each block on a shadow engine before writing the next), so the rejections left are the races a venue sees inside a block: post-only orders crossing after the price moved, cancels of orders filled earlier in the block, fill-or-kill orders the book cannot fill, and the few taker orders (0.8 % of them) sized beyond their trader's margin."
            : "The flow is ChainFlowGenerator's random test flow (--flow chain): orders beyond margin and in markets without margin, cancels of orders already filled or never resting, paused markets; about half of it is rejected, and a rejected transaction is cheap.");
        if (preVerified.Faulted > 0)
        {
            report.Note($"Market faults in the pre-verified run's timed blocks: {preVerified.Faulted}.");
        }
        report.Note($"p99 of {preVerified.BlockMs.Count} blocks is their nearest-rank 99th percentile, about the slowest block; the headline counts accepted transactions over the summed wall time of the timed Execute calls, and all transactions (accepted or rejected) are shown below it.");
    }

    private static void AddBlockFigures(CustomReport report, string prefix, EngineRun run, int blocks)
    {
        report.Add($"{prefix}.block_ms.p50", "ms per block, p50", Percentiles.Of(run.BlockMs, 0.5), "ms", "", 2);
        report.Add($"{prefix}.block_ms.p99", "ms per block, p99", Percentiles.Of(run.BlockMs, 0.99), "ms", "", 2);
        report.Add($"{prefix}.cpu_ms_per_block", "CPU time per block, all threads of the process", run.Cpu.TotalMilliseconds / blocks, "ms",
            $"{run.Cpu.TotalMilliseconds / run.BlockMs.Sum():F2} cores busy on average", 2);
        report.Add($"{prefix}.phase_ms.signatures", "phase 0, signatures (mean per block)", run.PhaseMs[0] / blocks, "ms", "", 2);
        report.Add($"{prefix}.phase_ms.a", "phase A, accounts and routing (mean per block)", run.PhaseMs[1] / blocks, "ms", "serial", 2);
        report.Add($"{prefix}.phase_ms.b", "phase B, markets on the workers (mean per block)", run.PhaseMs[2] / blocks, "ms", "parallel", 2);
        report.Add($"{prefix}.phase_ms.c", "phase C, roots and commit (mean per block)", run.PhaseMs[3] / blocks, "ms", "serial", 2);
        report.Add($"{prefix}.phase_ms.batch_commit", "of which the RocksDB write batch's commit", run.PhaseMs[4] / blocks, "ms", "", 2);
        report.Add($"{prefix}.accepted_share", "accepted share", run.AcceptedShare * 100, "%", "", 1);
        report.Add($"{prefix}.allocated_mib_per_block", "managed allocation per block", run.AllocatedBytes / (double)blocks / (1 << 20), "MiB", "", 2);
        report.Add($"{prefix}.gc_pause_ms_per_block", "GC pause per block", run.GcPause.TotalMilliseconds / blocks, "ms",
            $"gen0/1/2 collections: {run.Collections[0]}/{run.Collections[1]}/{run.Collections[2]} in {blocks} blocks", 2);
    }

    private static void ReportBreakdown(
        CustomReport report, Settings settings, Limits ceiling, EngineRun preVerified, EngineRun? oneWorker, Breakdown breakdown, EngineRun? signed, SignaturePhase? phase0)
    {
        var fullMs = Percentiles.Of(preVerified.BlockMs, 0.5);
        report.Section("Where the time goes (rough, from blocks of one kind of work on the warmed engine)");
        report.Add("breakdown.full_block_ms", $"pre-verified block of {settings.Txs:N0} tx (p50, from (a))", fullMs, "ms", "100%", 2);
        report.Add("breakdown.empty_block_ms", "empty block: funding when due, roots, write batch, head", breakdown.EmptyMs, "ms",
            $"{breakdown.EmptyMs / fullMs:P0} of a full block", 2);
        report.Add("breakdown.deposits_block_ms", $"{settings.Txs:N0} deposits to random accounts: phase A, then all {settings.Accounts:N0} accounts rewritten (table, tree)", breakdown.DepositsMs, "ms",
            $"{breakdown.DepositsMs / fullMs:P0} of a full block", 2);
        report.Add("breakdown.one_account_deposits_block_ms", $"{settings.Txs:N0} deposits to one account: phase A alone, one account rewritten", breakdown.OneAccountDepositsMs, "ms",
            $"{breakdown.OneAccountDepositsMs * 1000 / settings.Txs:F2} µs/tx; so the {settings.Accounts:N0} accounts' commit costs about {breakdown.DepositsMs - breakdown.OneAccountDepositsMs:F1} ms", 2);
        report.Add("breakdown.one_market_block_ms", $"{settings.Txs:N0} tx of market {breakdown.OneMarket} only (one worker busy; accepted {breakdown.OneMarketAccepted:P0})", breakdown.OneMarketMs, "ms",
            $"{breakdown.OneMarketMs * 1000 / settings.Txs:F2} µs/tx serial market work vs {fullMs * 1000 / settings.Txs:F2} µs/tx in a full block on {settings.Workers} workers", 2);
        if (oneWorker is not null)
        {
            report.Add("breakdown.preverified_1worker_accepted_tx_per_s", "pre-verified, 1 worker: accepted transactions / wall time", oneWorker.AcceptedPerSecond, "tx/s",
                $"{settings.Workers} workers are {preVerified.AcceptedPerSecond / oneWorker.AcceptedPerSecond:F2}x faster", 0);
        }
        report.Note("Breakdown blocks: empty blocks and blocks of deposits (to random existing accounts, then to one account) run after the timed blocks on the same engine and state; the one-market blocks hold the busiest market's share of the timed blocks, in order, packed into full blocks on a fresh engine that ran the setup and warm-up blocks. They are rough: a full block also pays for routing, the margin releases and 16 market trees.");
        if (signed is null || phase0 is null)
        {
            return;
        }
        var signedMs = Percentiles.Of(signed.BlockMs, 0.5);
        report.Add("breakdown.phase0_ms", $"signature phase alone, as the engine runs it ({settings.Workers} workers, p50)", phase0.MsPerBlock, "ms",
            $"{phase0.RecoveriesPerSecond:N0} recoveries/s = {phase0.RecoveriesPerSecond / ceiling.RecoverAll:P0} of the ceiling", 2);
        report.Add("breakdown.signed_minus_preverified_ms", "signed block minus pre-verified block (p50)", signedMs - fullMs, "ms",
            $"vs phase 0 alone {phase0.MsPerBlock:F1} ms", 2);
        report.Add("breakdown.eip712_digest_us", "EIP-712 digest alone (struct hash + domain digest), 1 thread", phase0.DigestMicroseconds, "µs/tx",
            $"{phase0.DigestMicroseconds * ceiling.Recover1 / 1e6:P1} of one recovery ({1e6 / ceiling.Recover1:F1} µs)", 2);
    }
}
