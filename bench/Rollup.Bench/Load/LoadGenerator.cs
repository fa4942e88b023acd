using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Rollup.Api;
using Rollup.Execution.Transactions;
using Rollup.Bench.Custom;
using Rollup.Primitives;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Bench;

/// <summary>
/// End-to-end load: a node started as its own process, funded accounts, pre-signed realistic order flow
/// (signing is the client's cost: done before the clock starts) sent over N connections as submission
/// streams. After a warm-up (JIT, caches, RocksDB memtables: a node runs for days, not seconds) it measures
/// for a set time: acknowledged and executed orders per second, latency from send to ack and to the block
/// that holds it, CPU per acknowledged transaction of the node and of this generator, the load other
/// processes put on the machine meanwhile, and this machine's recovery ceiling measured in the same run (before
/// and after the load; the ratio is taken against the higher).
/// <para>
/// Two ways to offer load. At max (the default), each connection keeps up to <c>--in-flight</c> transactions
/// unacknowledged: throughput is what the node sustains and latency is mostly the window's queueing (Little's
/// law: latency = in flight / throughput). At <c>--rate N</c>, transactions are due at N per second in all,
/// evenly spaced, and none goes out before it is due. Latency counts from when each was due (or, if later, from
/// when the sender's millisecond timer woke to send it), not from when it went out, so a node that falls behind
/// is charged for the wait (no coordinated omission).
/// </para>
/// Usage: <c>rollup-bench load [--seconds 20] [--warmup 10] [--rate 0] [--connections 4] [--in-flight 128]
/// [--write-batch 64] [--accounts 400] [--markets 8] [--bulk 0] [--queries 0] [--name load]</c>, and node settings
/// <c>[--block-ms N] [--workers N] [--ack-tree N] [--read-threads N]</c> (unset: the node's defaults).
/// <para>
/// <c>--queries N</c> adds a query storm on its own connection beside the load: N reads a second in all (an order book
/// 50 levels deep and an account with its positions, in turn), whose rate answered and p99 are reported; compare the
/// node's block execution time with and without it (and with <c>--read-threads 0</c>: the reads on the request threads).
/// </para>
/// <para>
/// <c>--bulk N</c> turns every order the flow places into a Bulk of N orders in its market (one signature, one nonce):
/// orders per second are then reported beside transactions per second, both against the same ceiling, with the L1 bytes
/// per order of the same flow batched as the poster batches it.
/// </para>
/// </summary>
internal static class LoadGenerator
{
    private const long Never = 0; // a timestamp slot not yet written

    // One client for every read of the node's /metrics (once a second during a run): one kept-alive connection
    // instead of a new one per read on the node being measured.
    private static readonly HttpClient MetricsClient = new();

    private static readonly string[] Options =
        ["seconds", "warmup", "rate", "connections", "accounts", "markets", "in-flight", "write-batch", "name", "block-ms", "workers", "ack-tree", "read-threads", "bulk", "queries"];

    /// <summary>Options passed on to the node as settings (docs/configuration.md).</summary>
    private static readonly (string Option, string Setting)[] NodeSettings =
    [
        ("block-ms", "ROLLUP__NODE__BLOCKINTERVALMS"),
        ("workers", "ROLLUP__NODE__WORKERS"),
        ("ack-tree", "ROLLUP__NODE__ACKTREEMAXLEAVES"),
        ("read-threads", "ROLLUP__NODE__READTHREADS"),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (!BenchArgs.TryParse(args.ToArray(), Options, out var parsed, out var error))
        {
            Console.Error.WriteLine($"load: {error}");
            return 2;
        }
        var seconds = parsed.Int("seconds", 20);
        var warmup = parsed.Int("warmup", 10); // 5 s left JIT warm-up backlog in the window of --rate runs
        var rate = parsed.Int("rate", 0);
        var connections = parsed.Int("connections", 4);
        var accounts = parsed.Int("accounts", 400);
        var markets = parsed.Int("markets", 8);
        var inFlight = parsed.Int("in-flight", 128);
        var name = parsed.String("name", "load");
        var bulk = parsed.Int("bulk", 0);
        var queries = parsed.Int("queries", 0);
        if (bulk is < 0 or > BulkItem.MaxItems)
        {
            Console.Error.WriteLine($"load: --bulk is 0 (single orders) to {BulkItem.MaxItems}");
            return 2;
        }
        // Most requests one write (one flush, one HTTP/2 DATA frame) carries; 1 is a client that flushes every message.
        var writeBatch = parsed.Int("write-batch", 64);
        // Node settings; unset, the node runs with its own defaults (the test harness's 20 ms blocks are replaced by
        // the node's 50 ms: the bench measures the node as it ships).
        var nodeSettings = new Dictionary<string, string> { ["ROLLUP__NODE__BLOCKINTERVALMS"] = "50" };
        foreach (var (option, setting) in NodeSettings)
        {
            if (parsed.Int(option, 0) is var value and > 0)
            {
                nodeSettings[setting] = value.ToString(CultureInfo.InvariantCulture);
            }
        }

        Console.WriteLine("measuring the recovery ceiling of this machine (all cores)...");
        var ceilingBefore = RecoveryCeiling.RecoveriesPerSecond(Environment.ProcessorCount, TimeSpan.FromSeconds(3));

        Console.WriteLine($"pre-signing flow for {accounts} accounts on {markets} markets...");
        var generator = new ChainFlowGenerator(seed: 99, markets, accounts, RollupDomain.Create(31337, Address.Zero)) { BulkItems = bulk };
        var setup = new[] { generator.Next(), generator.Next() };
        var flow = new List<(P.SubmitRequest Request, Hash256 Hash, Address Account)>();
        var orders = new List<int>(); // per flow entry: the orders it carries (a bulk's items, else 1)
        var batched = new List<Rollup.Execution.Blocks.Block>(); // the flow's first blocks, to size its L1 batch
        // At max a bulk flow acks fewer transactions per second (each carries more): fewer need signing.
        var perSecond = bulk > 0 ? 14_000 : 50_000;
        var target = rate > 0 ? (int)((seconds + warmup) * rate * 1.05) + 10_000 : Math.Max(bulk > 0 ? 40_000 : 200_000, (seconds + warmup) * perSecond);
        while (flow.Count < target)
        {
            var next = generator.Next(5_000);
            if (batched.Count < 4)
            {
                batched.Add(next);
            }
            foreach (var tx in next.Transactions)
            {
                if (tx.Kind.IsSigned())
                {
                    flow.Add((new P.SubmitRequest { RequestId = (ulong)flow.Count, Transaction = TransactionMapping.ToProto(tx) }, TransactionHash.Of(tx), tx.Account));
                    orders.Add(tx.Items?.Count ?? 1);
                }
            }
        }
        var l1 = L1BytesPerOrder(batched);

        using var data = new TempDirectory("rollup-load");
        var settings = new Dictionary<string, string>(nodeSettings) { ["ROLLUP__NODE__OPERATORS__0"] = ChainFlowGenerator.Operator.ToString() };
        for (var i = 0; i < accounts; i++)
        {
            settings[$"ROLLUP__NODE__DEVDEPOSITS__{i}"] = $"{ChainFlowGenerator.AddressOf(i + 1)}:1000000000000";
        }
        using var node = await NodeProcess.StartAsync(data.Path, settings);
        var nodePid = CpuSample.FindChildNode(data.Path);
        using var setupChannel = GrpcChannel.ForAddress(node.Address);
        var submission = new P.Submission.SubmissionClient(setupChannel);
        var query = new P.Query.QueryClient(setupChannel);
        foreach (var block in setup)
        {
            foreach (var tx in block.Transactions)
            {
                if (tx.Kind.IsSigned())
                {
                    await submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(tx) });
                }
            }
        }
        while ((await query.ListMarketsAsync(new P.ListMarketsRequest())).Markets_.Count < markets)
        {
            await Task.Delay(20);
        }

        var offered = rate > 0 ? $"{rate:N0} tx/s offered" : $"at max, {inFlight} in flight per connection";
        Console.WriteLine($"sending {flow.Count:N0} pre-signed transactions {offered}: {warmup} s warm-up, then {seconds} s measured, over {connections} connections...");
        var sent = new long[flow.Count];
        var acked = new long[flow.Count];
        var inBlock = new long[flow.Count];
        var byHash = new Dictionary<Hash256, int>(flow.Count);
        for (var i = 0; i < flow.Count; i++)
        {
            byHash.TryAdd(flow[i].Hash, i);
        }
        // Each account's transactions go in order on one connection, as a real client's would.
        var laneFlows = Enumerable.Range(0, connections).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < flow.Count; i++)
        {
            laneFlows[(flow[i].Account.GetHashCode() & int.MaxValue) % connections].Add(i);
        }
        var rejections = new ConcurrentDictionary<string, int>();
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(warmup * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(seconds * Stopwatch.Frequency);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(warmup + seconds));
        var blocksTask = FollowBlocks(node.Address, byHash, inBlock, stop.Token);
        var sampler = SampleAtAsync(nodePid, measureFrom, measureTo);
        var nodeSeconds = NodeEverySecondAsync(node.MetricsPort, measureFrom, seconds);
        var metricsAtStart = Task.Run(async () =>
        {
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureFrom));
            return await MetricsAsync(node.MetricsPort);
        });
        var storm = queries > 0 ? QueryStorm(node.Address, queries, markets, accounts, measureFrom, measureTo, stop.Token) : Task.FromResult(new List<double>());
        var lanes = Enumerable.Range(0, connections)
            .Select(c => Send(node.Address, flow, laneFlows[c], rate / (double)connections, started, inFlight, writeBatch, sent, acked, rejections, stop.Token))
            .ToArray();
        var pausedBefore = GC.GetTotalPauseDuration();
        var exhausted = await Task.WhenAll(lanes);
        var stormLatencies = await storm;
        var (before, after) = await sampler;
        var generatorPauses = GC.GetTotalPauseDuration() - pausedBefore;
        var metricsAfter = await MetricsAsync(node.MetricsPort);
        var metricsBefore = await metricsAtStart;
        var blocks = Metric(metricsAfter, "rollup_blocks_total") - Metric(metricsBefore, "rollup_blocks_total");
        var ackSignatures = Metric(metricsAfter, "rollup_ack_signatures_total") - Metric(metricsBefore, "rollup_ack_signatures_total");
        var blockSeconds = Metric(metricsAfter, "rollup_block_execution_seconds_sum") - Metric(metricsBefore, "rollup_block_execution_seconds_sum");
        await Task.Delay(500); // let the last blocks arrive on the stream
        await blocksTask.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Console.WriteLine(await node.StopAsync() == 0 ? "node stopped" : "node stopped with an error");

        // This machine's speed drifts over minutes (the ceiling has measured anywhere from 37.7k to 52.1k/s), so the
        // ceiling is measured again after the load and the ratio taken against the higher of the two.
        Console.WriteLine("measuring the recovery ceiling again...");
        var ceilingAfter = RecoveryCeiling.RecoveriesPerSecond(Environment.ProcessorCount, TimeSpan.FromSeconds(3));
        var ceiling = Math.Max(ceilingBefore, ceilingAfter);

        // A lane that ran out of flow ends the measured window early: count only time when every lane had flow.
        var end = Math.Min(measureTo, exhausted.Min());
        var window = Stopwatch.GetElapsedTime(measureFrom, end).TotalSeconds;
        if (end < measureTo)
        {
            Console.WriteLine($"the pre-signed flow ran out after {window:N1} s of the measured window");
        }
        var ackLatencies = new List<double>();
        var blockLatencies = new List<double>();
        var ackedInWindow = 0;
        var executedInWindow = 0;
        long ackedOrders = 0;
        long executedOrders = 0;
        for (var i = 0; i < flow.Count; i++)
        {
            if (acked[i] >= measureFrom && acked[i] < end)
            {
                ackedInWindow++;
                ackedOrders += orders[i];
            }
            if (inBlock[i] >= measureFrom && inBlock[i] < end)
            {
                executedInWindow++;
                executedOrders += orders[i];
            }
            if (sent[i] < measureFrom || sent[i] >= end)
            {
                continue;
            }
            if (acked[i] != Never)
            {
                ackLatencies.Add(Stopwatch.GetElapsedTime(sent[i], acked[i]).TotalMilliseconds);
            }
            if (inBlock[i] != Never)
            {
                blockLatencies.Add(Stopwatch.GetElapsedTime(sent[i], inBlock[i]).TotalMilliseconds);
            }
        }
        var timeline = Timeline(sent, acked, measureFrom, end, await nodeSeconds);
        Console.Write(timeline);
        ackLatencies.Sort();
        blockLatencies.Sort();
        var ackRate = ackedInWindow / window;
        var executedRate = executedInWindow / window;
        var ackedOrderRate = ackedOrders / window;
        var executedOrderRate = executedOrders / window;
        var sampled = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds;
        var nodeCpu = after.NodeSeconds - before.NodeSeconds;
        var selfCpu = after.SelfSeconds - before.SelfSeconds;
        var machineCpu = after.MachineBusySeconds - before.MachineBusySeconds;
        var ackedSampled = ackRate * sampled;
        var figures = new List<Figure>
        {
            new("offered", rate > 0 ? rate : 0, rate > 0 ? "tx/s" : "tx/s (0: at max)"),
            new("in flight per connection, at most", inFlight, "tx"),
            new("requests per write (flush), at most", writeBatch, ""),
            new("acknowledged", Math.Round(ackRate), "tx/s"),
            new("executed", Math.Round(executedRate), "tx/s"),
            new("items per bulk (0: single orders)", bulk, ""),
            new("acknowledged orders (a bulk's items, else 1 per tx)", Math.Round(ackedOrderRate), "orders/s"),
            new("executed orders", Math.Round(executedOrderRate), "orders/s"),
            new("ack latency p50", Percentile(ackLatencies, 0.50), "ms"),
            new("ack latency p99", Percentile(ackLatencies, 0.99), "ms"),
            new("ack latency p99.9", Percentile(ackLatencies, 0.999), "ms"),
            new("send to block p50", Percentile(blockLatencies, 0.50), "ms"),
            new("send to block p99", Percentile(blockLatencies, 0.99), "ms"),
            new("send to block p99.9", Percentile(blockLatencies, 0.999), "ms"),
            new("node CPU per acknowledged tx", Math.Round(nodeCpu / ackedSampled * 1e6, 1), "µs"),
            new("load generator CPU per acknowledged tx", Math.Round(selfCpu / ackedSampled * 1e6, 1), "µs"),
            new("node cores used", Math.Round(nodeCpu / sampled, 2), "cores"),
            new("load generator cores used", Math.Round(selfCpu / sampled, 2), "cores"),
            new("other processes cores used", Math.Round(Math.Max(0, machineCpu - nodeCpu - selfCpu) / sampled, 2), "cores"),
            new("load generator GC pauses, whole run", Math.Round(generatorPauses.TotalMilliseconds), "ms"),
            new("node: submission to durable signed ack p50, at most", HistogramQuantile(metricsBefore, metricsAfter, "rollup_ack_latency_seconds", 0.50), "ms"),
            new("node: submission to durable signed ack p99, at most", HistogramQuantile(metricsBefore, metricsAfter, "rollup_ack_latency_seconds", 0.99), "ms"),
            new("node: log group sync p99, at most", HistogramQuantile(metricsBefore, metricsAfter, "rollup_log_sync_seconds", 0.99), "ms"),
            new("node: log groups synced", Metric(metricsAfter, "rollup_log_sync_seconds_count") - Metric(metricsBefore, "rollup_log_sync_seconds_count"), ""),
            new("node: GC pauses in the window", Math.Round((Metric(metricsAfter, "rollup_gc_pause_seconds_total") - Metric(metricsBefore, "rollup_gc_pause_seconds_total")) * 1e3), "ms"),
            new("node: garbage collections in the window", Metric(metricsAfter, "rollup_gc_collections_total{generation=\"0\"}") - Metric(metricsBefore, "rollup_gc_collections_total{generation=\"0\"}"), ""),
            new("node: block execution, mean per block", blocks == 0 ? 0 : Math.Round(blockSeconds / blocks * 1e3, 2), "ms"),
            new("node: blocks", blocks, ""),
            new("load average (1 min) at start", before.LoadAverage, ""),
            new("load average (1 min) at end", after.LoadAverage, ""),
            new("recovery ceiling, all cores, before the load", Math.Round(ceilingBefore), "op/s"),
            new("recovery ceiling, all cores, after the load", Math.Round(ceilingAfter), "op/s"),
            new("recovery ceiling, all cores (the higher)", Math.Round(ceiling), "op/s"),
            new("acknowledged / ceiling", Math.Round(ackRate / ceiling, 3), "ratio"),
            new("acknowledged orders / ceiling", Math.Round(ackedOrderRate / ceiling, 3), "ratio"),
            new("executed orders / ceiling", Math.Round(executedOrderRate / ceiling, 3), "ratio"),
            new("L1 bytes per order, the flow's first 20,000 tx batched (zstd columnar, all kinds)", Math.Round(l1.AllKinds, 1), "B"),
            new("L1 bytes per order, its orders only (PlaceOrder and Bulk)", Math.Round(l1.OrdersOnly, 1), "B"),
            new("query storm offered (0: none)", queries, "reads/s"),
            new("query storm answered in the window", Math.Round(stormLatencies.Count / (double)seconds), "reads/s"),
            new("query storm latency p99", Percentile(stormLatencies, 0.99), "ms"),
            new("node: acks per sequencer signature", ackSignatures == 0 ? 0 : Math.Round(Metric(metricsAfter, "rollup_admission_total{result=\"Accepted\"}") - Metric(metricsBefore, "rollup_admission_total{result=\"Accepted\"}")) / ackSignatures, ""),
        };
        foreach (var (reason, count) in rejections)
        {
            figures.Add(new($"refused at admission: {reason}", count, "tx"));
        }
        foreach (var figure in figures)
        {
            Console.WriteLine($"{figure.Name,-40} {figure.Value.ToString("N1", CultureInfo.InvariantCulture),14} {figure.Unit}");
        }
        BenchResults.Write(name, figures);
        WriteMarkdown(name, figures, timeline, seconds, warmup, connections, accounts, markets, bulk);
        return 0;
    }

    /// <summary>
    /// Reads at <paramref name="perSecond"/> a second, evenly spaced, one at a time, on a connection of their own: an order
    /// book 50 deep, then an account. Returns the latencies (from when each was due) of those answered in the window.
    /// </summary>
    private static async Task<List<double>> QueryStorm(Uri address, int perSecond, int markets, int accounts, long from, long to, CancellationToken stop)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var query = new P.Query.QueryClient(channel);
        var latencies = new List<double>();
        var interval = Stopwatch.Frequency / (double)perSecond;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0L; !stop.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            try
            {
                if (i % 2 == 0)
                {
                    await query.GetOrderBookAsync(new P.GetOrderBookRequest { Market = (uint)(i / 2 % markets) + 1, Depth = 50 }, cancellationToken: stop);
                }
                else
                {
                    var account = ChainFlowGenerator.AddressOf((int)(i / 2 % accounts) + 1);
                    await query.GetAccountAsync(new P.GetAccountRequest { Address = account.ToString() }, cancellationToken: stop);
                }
            }
            catch (Grpc.Core.RpcException) when (stop.IsCancellationRequested)
            {
                break;
            }
            var answered = Stopwatch.GetTimestamp();
            if (due >= from && answered < to)
            {
                latencies.Add(Stopwatch.GetElapsedTime(due, answered).TotalMilliseconds);
            }
        }
        latencies.Sort();
        return latencies;
    }

    /// <summary>
    /// What the flow costs on L1, as the poster frames it (columnar, zstd): bytes per order, counting a bulk's items and
    /// every other transaction as one; and for a batch of its orders alone (PlaceOrders and Bulks), as bench/results/batches.md
    /// measures single orders.
    /// </summary>
    private static (double AllKinds, double OrdersOnly) L1BytesPerOrder(List<Rollup.Execution.Blocks.Block> blocks)
    {
        static long Orders(IEnumerable<Rollup.Execution.Blocks.Block> of) => of.Sum(b => b.Transactions.Sum(t => (long)(t.Items?.Count ?? 1)));
        var ordersOnly = blocks.Select(b => b with { Transactions = Array.FindAll(b.Transactions, t => t.Kind is TxKind.PlaceOrder or TxKind.Bulk) }).ToList();
        var all = Rollup.Bridge.Batches.BatchFrame.Encode(new Rollup.Bridge.Batches.L2Batch(blocks), Rollup.Primitives.Compression.CompressionCodecId.Zstd).Length;
        var only = Rollup.Bridge.Batches.BatchFrame.Encode(new Rollup.Bridge.Batches.L2Batch(ordersOnly), Rollup.Primitives.Compression.CompressionCodecId.Zstd).Length;
        return ((double)all / Orders(blocks), (double)only / Orders(ordersOnly));
    }

    /// <summary>
    /// Each second of the measured window: transactions sent in it, their p99 and worst ack latency (where stalls
    /// happen), and the node's GC pauses and gen 2 collections in that second (whether a stall was the collector).
    /// </summary>
    private static string Timeline(long[] sent, long[] acked, long from, long to, string?[] nodeAtSecond)
    {
        var seconds = (int)Math.Ceiling(Stopwatch.GetElapsedTime(from, to).TotalSeconds);
        var perSecond = new List<double>[seconds];
        for (var s = 0; s < seconds; s++)
        {
            perSecond[s] = [];
        }
        for (var i = 0; i < sent.Length; i++)
        {
            if (sent[i] >= from && sent[i] < to && acked[i] != Never)
            {
                perSecond[(int)((sent[i] - from) / Stopwatch.Frequency)].Add(Stopwatch.GetElapsedTime(sent[i], acked[i]).TotalMilliseconds);
            }
        }
        var text = new System.Text.StringBuilder();
        text.AppendLine("second  sent   ack p99 ms  ack max ms  node GC ms  gen2 GCs");
        for (var s = 0; s < seconds; s++)
        {
            perSecond[s].Sort();
            var (pauseMs, gen2) = s + 1 < nodeAtSecond.Length && nodeAtSecond[s] is { } start && nodeAtSecond[s + 1] is { } finish
                ? ((Metric(finish, "rollup_gc_pause_seconds_total") - Metric(start, "rollup_gc_pause_seconds_total")) * 1e3,
                   Metric(finish, "rollup_gc_collections_total{generation=\"2\"}") - Metric(start, "rollup_gc_collections_total{generation=\"2\"}"))
                : (double.NaN, double.NaN);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{s,6} {perSecond[s].Count,6} {Percentile(perSecond[s], 0.99),11:F1} {(perSecond[s].Count == 0 ? 0 : perSecond[s][^1]),11:F1} {pauseMs,11:F1} {gen2,9:F0}");
        }
        return text.ToString();
    }

    /// <summary>The node's metrics at the start of each second of the measured window and at its end (null where a read failed).</summary>
    private static async Task<string?[]> NodeEverySecondAsync(int metricsPort, long from, int seconds)
    {
        var samples = new string?[seconds + 1];
        for (var s = 0; s <= seconds; s++)
        {
            var at = from + s * Stopwatch.Frequency;
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Math.Max(at, Stopwatch.GetTimestamp()))).ConfigureAwait(false);
            try
            {
                samples[s] = await MetricsAsync(metricsPort).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                samples[s] = null;
            }
        }
        return samples;
    }

    private static Task<string> MetricsAsync(int metricsPort) =>
        MetricsClient.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));

    /// <summary>A metric's value in the Prometheus text (name with labels, as rendered), 0 when absent.</summary>
    private static double Metric(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > name.Length && line.StartsWith(name, StringComparison.Ordinal) && line[name.Length] == ' ')
            {
                return double.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    /// <summary>
    /// The quantile of a node histogram over the measured window (bucket counts at its end minus at its start), as the
    /// upper bound of the bucket it falls in: "at most this", at the buckets' resolution. In ms.
    /// </summary>
    private static double HistogramQuantile(string before, string after, string name, double q)
    {
        var total = Metric(after, name + "_count") - Metric(before, name + "_count");
        if (total <= 0)
        {
            return 0;
        }
        foreach (var bound in Rollup.Sequencer.LatencyHistogram.Bounds)
        {
            var bucket = $"{name}_bucket{{le=\"{bound.ToString(CultureInfo.InvariantCulture)}\"}}";
            if (Metric(after, bucket) - Metric(before, bucket) >= q * total)
            {
                return bound * 1e3;
            }
        }
        return double.PositiveInfinity;
    }

    /// <summary>CPU samples at the start and the end of the measured window.</summary>
    private static async Task<(CpuSample Before, CpuSample After)> SampleAtAsync(int nodePid, long from, long to)
    {
        await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), from)).ConfigureAwait(false);
        var before = CpuSample.Take(nodePid);
        await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), to)).ConfigureAwait(false);
        return (before, CpuSample.Take(nodePid));
    }

    /// <summary>
    /// One connection's sender. At <paramref name="laneRate"/> 0 it sends whenever the window allows; otherwise
    /// the k-th transaction is due at start + k / rate and its latency counts from then. Returns when it ran out
    /// of flow (long.MaxValue if it did not).
    /// </summary>
    private static async Task<long> Send(Uri address, List<(P.SubmitRequest Request, Hash256 Hash, Address Account)> flow, List<int> mine, double laneRate,
        long started, int inFlight, int writeBatch, long[] sent, long[] acked, ConcurrentDictionary<string, int> rejections, CancellationToken stop)
    {
        // Each burst leaves in one write, as a client that queues its orders would send it (CoalescingRequestHandler).
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = CoalescingRequestHandler.OverSockets() });
        using var call = new P.Submission.SubmissionClient(channel).SubmitStream(cancellationToken: CancellationToken.None);
        using var window = new SemaphoreSlim(inFlight, inFlight);
        var receiver = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var response = call.ResponseStream.Current;
                if (response.Ack is not null)
                {
                    acked[response.RequestId] = Stopwatch.GetTimestamp();
                }
                else
                {
                    rejections.AddOrUpdate(response.Rejection.Name, 1, (_, n) => n + 1);
                }
                window.Release();
            }
        }, CancellationToken.None);
        var ranOut = long.MaxValue;
        var interval = laneRate > 0 ? Stopwatch.Frequency / laneRate : 0;
        var batch = new List<P.SubmitRequest>(writeBatch);
        try
        {
            // Everything that may go now (due, and within the window) goes in one write, as a client with a
            // queue of orders would send it; latency still counts per transaction from when it was due.
            for (var k = 0; k < mine.Count && !stop.IsCancellationRequested;)
            {
                batch.Clear();
                if (interval > 0)
                {
                    var due = started + (long)(k * interval);
                    for (var now = Stopwatch.GetTimestamp(); now < due; now = Stopwatch.GetTimestamp())
                    {
                        // Never before it is due. Timers tick about every millisecond, so a sleep shorter than
                        // that would return at once.
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(Stopwatch.GetElapsedTime(now, due).TotalMilliseconds))), stop);
                    }
                    // Latency counts from when a transaction was due, or from when this sender's timer woke to send
                    // it if that was later: the timer's lateness is the generator's, a wait for the window is the node's.
                    var ready = Stopwatch.GetTimestamp();
                    await window.WaitAsync(stop);
                    do
                    {
                        sent[mine[k]] = Math.Max(started + (long)(k * interval), ready);
                        batch.Add(flow[mine[k]].Request);
                        k++;
                    }
                    while (k < mine.Count && batch.Count < writeBatch && started + (long)(k * interval) <= Stopwatch.GetTimestamp() && window.Wait(0, CancellationToken.None));
                }
                else
                {
                    await window.WaitAsync(stop);
                    var now = Stopwatch.GetTimestamp();
                    do
                    {
                        sent[mine[k]] = now;
                        batch.Add(flow[mine[k]].Request);
                        k++;
                    }
                    while (k < mine.Count && batch.Count < writeBatch && window.Wait(0, CancellationToken.None));
                }
                await call.RequestStream.WriteManyAsync(batch);
            }
            if (!stop.IsCancellationRequested)
            {
                ranOut = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException)
        {
        }
        await call.RequestStream.CompleteAsync();
        await receiver;
        return ranOut;
    }

    private static async Task FollowBlocks(Uri address, Dictionary<Hash256, int> byHash, long[] inBlock, CancellationToken stop)
    {
        // A block of 10,000 bulks with their receipts is well over the client's default 4 MB message limit.
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        using var call = new P.Streams.StreamsClient(channel).StreamBlocks(new P.StreamBlocksRequest(), cancellationToken: CancellationToken.None);
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var receipt in call.ResponseStream.Current.Receipts)
                {
                    if (byHash.TryGetValue(new Hash256(receipt.TxHash.Span), out var index))
                    {
                        inBlock[index] = now;
                    }
                }
            }
        }
        catch (RpcException)
        {
            // The node stopped.
        }
        _ = stop;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 2);

    private static void WriteMarkdown(string name, List<Figure> figures, string timeline, int seconds, int warmup, int connections, int accounts, int markets, int bulk)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("# load: end to end against a node process").AppendLine();
        text.AppendLine($"{warmup} s warm-up then {seconds} s measured, {connections} connections (one SubmitStream each), {accounts} accounts, {markets} markets, pre-signed ChainFlowGenerator flow{(bulk > 0 ? $", every order placed as a Bulk of {bulk}" : "")}.");
        text.AppendLine($"Machine: {BenchResults.MachineDescription()}; the node and the load generator share its cores. Goal: acknowledged >= 0.8 of the ceiling with p99 ack < 10 ms.").AppendLine();
        text.AppendLine("| figure | value | unit |").AppendLine("|---|---:|---|");
        foreach (var figure in figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} | {figure.Value.ToString("N2", CultureInfo.InvariantCulture)} | {figure.Unit} |");
        }
        text.AppendLine().AppendLine("Each second of the measured window: transactions sent in it, their p99 and worst ack latency, and the node's GC pauses and gen 2 collections in it.").AppendLine();
        text.AppendLine("```").Append(timeline).AppendLine("```");
        BenchResults.WriteMarkdown(name, text.ToString());
    }
}
