using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Rollup.Execution.Transactions;
using Rollup.Grpc;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Bench;

/// <summary>
/// End-to-end load: a node started as its own process, funded accounts, pre-signed realistic order flow
/// (signing is the client's cost: done before the clock starts) sent over N connections as submission
/// streams for a set time. Reports acknowledged and executed orders per second, latency from send to
/// ack and to the block that holds it, and this machine's recovery ceiling measured in the same run.
/// Usage: <c>rollup-bench load [--seconds 20] [--connections 4] [--accounts 400] [--markets 8]</c>.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var seconds = Option(args, "--seconds", 20);
        var connections = Option(args, "--connections", 4);
        var accounts = Option(args, "--accounts", 400);
        var markets = Option(args, "--markets", 8);
        var inFlight = Option(args, "--in-flight", 1024);

        Console.WriteLine("measuring the recovery ceiling of this machine (all cores)...");
        var ceiling = RecoveryCeiling.RecoveriesPerSecond(Environment.ProcessorCount, TimeSpan.FromSeconds(3));

        Console.WriteLine($"pre-signing flow for {accounts} accounts on {markets} markets...");
        var generator = new ChainFlowGenerator(seed: 99, markets, accounts, RollupDomain.Create(31337, Address.Zero));
        var setup = new[] { generator.Next(), generator.Next() };
        var flow = new List<(P.SubmitRequest Request, Hash256 Hash, Address Account)>();
        var target = Math.Max(200_000, seconds * 40_000);
        while (flow.Count < target)
        {
            foreach (var tx in generator.Next(5_000).Transactions)
            {
                if (tx.Kind.IsSigned())
                {
                    flow.Add((new P.SubmitRequest { RequestId = (ulong)flow.Count, Transaction = TransactionMapping.ToProto(tx) }, HashOf(tx), tx.Account));
                }
            }
        }

        using var data = new TempDirectory("rollup-load");
        var settings = new Dictionary<string, string> { ["ROLLUP__NODE__OPERATORS__0"] = ChainFlowGenerator.Operator.ToString() };
        for (var i = 0; i < accounts; i++)
        {
            settings[$"ROLLUP__NODE__DEVDEPOSITS__{i}"] = $"{ChainFlowGenerator.AddressOf(i + 1)}:1000000000000";
        }
        using var node = await NodeProcess.StartAsync(data.Path, settings);
        using var setupChannel = GrpcChannel.ForAddress(node.Address);
        var submit = ApiServices.Method<P.SubmitRequest, P.SubmitResponse>(ApiServices.Submission, "Submit");
        foreach (var block in setup)
        {
            foreach (var tx in block.Transactions)
            {
                if (tx.Kind.IsSigned())
                {
                    await setupChannel.UnaryAsync(submit, new P.SubmitRequest { Transaction = TransactionMapping.ToProto(tx) });
                }
            }
        }
        var listMarkets = ApiServices.Method<P.ListMarketsRequest, P.Markets>(ApiServices.Query, "ListMarkets");
        while ((await setupChannel.UnaryAsync(listMarkets, new P.ListMarketsRequest())).Markets_.Count < markets)
        {
            await Task.Delay(20);
        }

        Console.WriteLine($"sending {flow.Count:N0} pre-signed transactions for up to {seconds} s over {connections} connections...");
        var sent = new long[flow.Count];
        var acked = new long[flow.Count];
        var inBlock = new long[flow.Count];
        var byHash = new Dictionary<Hash256, int>(flow.Count);
        for (var i = 0; i < flow.Count; i++)
        {
            byHash.TryAdd(flow[i].Hash, i);
        }
        var rejections = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var blocksTask = FollowBlocks(node.Address, byHash, inBlock, stop.Token);
        var clock = Stopwatch.StartNew();
        var lanes = Enumerable.Range(0, connections).Select(c => Send(node.Address, flow, c, connections, inFlight, sent, acked, rejections, stop.Token)).ToArray();
        await Task.WhenAll(lanes);
        var sendSeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(500); // let the last blocks arrive on the stream
        await blocksTask.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Console.WriteLine(await node.StopAsync() == 0 ? "node stopped" : "node stopped with an error");

        var ackLatencies = new List<double>();
        var blockLatencies = new List<double>();
        var ackedCount = 0;
        for (var i = 0; i < flow.Count; i++)
        {
            if (acked[i] > 0)
            {
                ackedCount++;
                ackLatencies.Add(Stopwatch.GetElapsedTime(sent[i], acked[i]).TotalMilliseconds);
            }
            if (inBlock[i] > 0 && sent[i] > 0)
            {
                blockLatencies.Add(Stopwatch.GetElapsedTime(sent[i], inBlock[i]).TotalMilliseconds);
            }
        }
        ackLatencies.Sort();
        blockLatencies.Sort();
        var ackRate = ackedCount / sendSeconds;
        var executedRate = blockLatencies.Count / sendSeconds;
        var figures = new List<Figure>
        {
            new("acknowledged", Math.Round(ackRate), "tx/s"),
            new("executed", Math.Round(executedRate), "tx/s"),
            new("ack latency p50", Percentile(ackLatencies, 0.50), "ms"),
            new("ack latency p99", Percentile(ackLatencies, 0.99), "ms"),
            new("ack latency p99.9", Percentile(ackLatencies, 0.999), "ms"),
            new("send to block p50", Percentile(blockLatencies, 0.50), "ms"),
            new("send to block p99", Percentile(blockLatencies, 0.99), "ms"),
            new("send to block p99.9", Percentile(blockLatencies, 0.999), "ms"),
            new("recovery ceiling, all cores", Math.Round(ceiling), "op/s"),
            new("acknowledged / ceiling", Math.Round(ackRate / ceiling, 3), "ratio"),
        };
        foreach (var (reason, count) in rejections)
        {
            figures.Add(new($"refused at admission: {reason}", count, "tx"));
        }
        foreach (var figure in figures)
        {
            Console.WriteLine($"{figure.Name,-40} {figure.Value.ToString("N1", CultureInfo.InvariantCulture),14} {figure.Unit}");
        }
        BenchResults.Write("load", figures);
        WriteMarkdown(figures, seconds, connections, accounts, markets);
        return 0;
    }

    private static async Task Send(Uri address, List<(P.SubmitRequest Request, Hash256 Hash, Address Account)> flow, int lane, int lanes, int inFlight,
        long[] sent, long[] acked, ConcurrentDictionary<string, int> rejections, CancellationToken stop)
    {
        using var channel = GrpcChannel.ForAddress(address);
        using var call = channel.DuplexStreaming(ApiServices.Method<P.SubmitRequest, P.SubmitResponse>(ApiServices.Submission, "SubmitStream"));
        using var window = new SemaphoreSlim(inFlight, inFlight);
        var receiver = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNextAsync(CancellationToken.None))
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
        try
        {
            for (var i = 0; i < flow.Count && !stop.IsCancellationRequested; i++)
            {
                // Each account's transactions go in order on one connection, as a real client's would.
                if ((flow[i].Account.GetHashCode() & int.MaxValue) % lanes != lane)
                {
                    continue;
                }
                await window.WaitAsync(stop);
                sent[i] = Stopwatch.GetTimestamp();
                await call.RequestStream.WriteAsync(flow[i].Request, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await call.RequestStream.CompleteAsync();
        await receiver;
    }

    private static async Task FollowBlocks(Uri address, Dictionary<Hash256, int> byHash, long[] inBlock, CancellationToken stop)
    {
        using var channel = GrpcChannel.ForAddress(address);
        using var call = channel.ServerStreaming(ApiServices.Method<P.StreamBlocksRequest, P.Block>(ApiServices.Streams, "StreamBlocks"), new P.StreamBlocksRequest());
        try
        {
            while (await call.ResponseStream.MoveNextAsync(CancellationToken.None))
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

    private static Hash256 HashOf(in Transaction tx)
    {
        var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, encoded);
        return Keccak256.Compute(encoded);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 2);

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
        }
        return fallback;
    }

    private static void WriteMarkdown(List<Figure> figures, int seconds, int connections, int accounts, int markets)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("# load: end to end against a node process").AppendLine();
        text.AppendLine($"{seconds} s, {connections} connections (one SubmitStream each), {accounts} accounts, {markets} markets, pre-signed ChainFlowGenerator flow.");
        text.AppendLine($"Machine: {BenchResults.MachineDescription()}; the node and the load generator share its cores. Goal: acknowledged >= 0.8 of the ceiling with p99 ack < 10 ms.").AppendLine();
        text.AppendLine("| figure | value | unit |").AppendLine("|---|---:|---|");
        foreach (var figure in figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} | {figure.Value.ToString("N2", CultureInfo.InvariantCulture)} | {figure.Unit} |");
        }
        BenchResults.WriteMarkdown("load", text.ToString());
    }
}
