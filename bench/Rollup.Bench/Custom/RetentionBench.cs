using System.Diagnostics;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Sequencer.Log;
using Rollup.Testing;

namespace Rollup.Bench.Custom;

/// <summary>
/// Disk bytes per 10^6 transactions a sequencer keeps, before and after its log retention rule (docs/sequencer.md,
/// "Retention"): the trading flow's transactions written to a transaction log block by block as the sequencer's log
/// writer does, and executed by an engine into its state and block store; then the log pruned through its last block
/// (what the rule does once that block's batch is final on L1). Sizes are the files' apparent sizes after a flush.
/// Usage: <c>rollup-bench retention [--transactions 1000000] [--block 10000]</c>.
/// </summary>
internal static class RetentionBench
{
    private static readonly string[] Options = ["transactions", "block"];

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!BenchArgs.TryParse(args, Options, out var parsed, out var error))
        {
            Console.Error.WriteLine($"retention: {error}");
            return 2;
        }
        var transactions = parsed.Int("transactions", 1_000_000);
        var perBlock = parsed.Int("block", 10_000);
        var report = new CustomReport("retention", "disk bytes per 10^6 transactions, before and after the log retention rule");
        report.Parameter("--transactions", transactions);
        report.Parameter("--block", perBlock);

        using var directory = new TempDirectory("rollup-bench-retention");
        var logPath = Path.Combine(directory.Path, "txlog");
        var statePath = Path.Combine(directory.Path, "state");
        using var flow = new TradingFlowGenerator(seed: 7, markets: 16, accounts: 1_000);
        var written = 0L;
        var lastBlock = 0UL;
        var stopwatch = Stopwatch.StartNew();
        using (var log = TxLog.Open(logPath))
        using (var engine = ExecutionEngine.Open(statePath, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false }))
        {
            var sequence = 0UL;
            while (written < transactions)
            {
                var block = flow.Next(perBlock);
                using (var batch = log.CreateBatch())
                {
                    foreach (var tx in block.Transactions)
                    {
                        var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
                        TransactionCodec.Encode(tx, encoded);
                        TxLog.PutTransaction(batch, sequence++, encoded);
                    }
                    TxLog.PutBlock(batch, new LoggedBlock(block.Number, block.Timestamp, sequence - (ulong)block.Transactions.Length, sequence));
                    batch.Commit();
                }
                engine.Execute(block);
                written += block.Transactions.Length;
                lastBlock = block.Number;
            }
            log.Flush();
            engine.FlushToDisk();
        }
        Console.WriteLine($"retention: {written:N0} transactions in {lastBlock} blocks logged and executed in {stopwatch.Elapsed.TotalSeconds:F0} s");

        var logBefore = DirectoryBytes(logPath);
        var state = DirectoryBytes(statePath);
        ulong dropped;
        using (var log = TxLog.Open(logPath))
        {
            dropped = log.PruneThrough(lastBlock);
            log.Flush();
        }
        var logAfter = DirectoryBytes(logPath);
        var perMillion = 1e6 / written;

        report.Section($"Apparent bytes on disk per 10^6 transactions ({written:N0} written, {dropped:N0} dropped from the log)");
        report.Add("log.before_mb", "transaction log, whole", logBefore * perMillion / 1e6, "MB", "every transaction twice: here and in the block store");
        report.Add("log.after_mb", "transaction log, pruned through the last final block", logAfter * perMillion / 1e6, "MB", "the anchor block's entry, RocksDB's own files");
        report.Add("state.mb", "state and block store", state * perMillion / 1e6, "MB", "kept: the blocks, receipts and the index the API serves");
        report.Add("node.before_mb", "sequencer, before", (logBefore + state) * perMillion / 1e6, "MB");
        report.Add("node.after_mb", "sequencer, after", (logAfter + state) * perMillion / 1e6, "MB", $"{100.0 * (logBefore - logAfter) / (logBefore + state):F0} % less");
        report.Note("The block store is not pruned: it serves the Query API's blocks and receipts and the poster; blocks of final batches could be cut down to their headers there too (not built).");
        report.Write();
        return 0;
    }

    /// <summary>The apparent size of every file under the directory.</summary>
    private static long DirectoryBytes(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
