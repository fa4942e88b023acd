using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Rollup.Bridge.Settlement;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// A sequencer node process with its deposit watcher and batch poster on anvil, SIGKILLed at random moments while
/// traders submit and L1 deposits arrive (so kills fall in block commits, log syncs, batch posts and deposit credits),
/// restarted each time. Five kills here; <c>scripts/soak kills</c> runs a hundred (ROLLUP_KILL_SOAK_KILLS) and writes
/// the recovery times (ROLLUP_KILL_SOAK_REPORT).
/// </summary>
public class KillSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_killed_at_random_moments_loses_no_ack_credits_each_deposit_once_and_posts_batches_a_validator_agrees_with()
    {
        var kills = int.Parse(Environment.GetEnvironmentVariable("ROLLUP_KILL_SOAK_KILLS") ?? "5", CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(Environment.GetEnvironmentVariable("ROLLUP_KILL_SOAK_SEED") ?? "2026", CultureInfo.InvariantCulture));
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = 5, TimelockDelayBlocks = 1 }, blockTimeSeconds: 0.5);
        using var data = new TempDirectory("rollup-kill-soak");
        var settings = BridgeLoad.NodeSettings(devnet, devnet.Anvil.Endpoint);
        await BridgeLoad.MintAsync(devnet);

        var load = new BridgeLoad(devnet);
        var recoveries = new List<double>();
        for (var round = 0; round <= kills; round++)
        {
            var starting = Stopwatch.StartNew();
            using var node = await NodeProcess.StartAsync(data.Path, settings);
            if (round > 0)
            {
                recoveries.Add(starting.Elapsed.TotalSeconds);
            }
            if (round == kills)
            {
                await load.CheckTheChainAsync(node, devnet.Anvil.Endpoint);
                Assert.Equal(0, await node.StopAsync());
                break;
            }
            using var stop = new CancellationTokenSource();
            using var channel = GrpcChannel.ForAddress(node.Address);
            var senders = load.StartSenders(channel, stop.Token);
            await load.DepositAsync(round);
            await Task.Delay(random.Next(200, 2_500)); // the kill's random moment, not a wait for anything
            await node.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        recoveries.Sort();
        var report = $"{kills} SIGKILLs under load with L1 (anvil, 0.5 s blocks, a batch every 300 ms, a deposit a round): {load.Acked.Count:N0} acked transactions, none lost; " +
            $"restart to serving p50 {Percentile(recoveries, 0.5):F2} s, p99 {Percentile(recoveries, 0.99):F2} s, max {recoveries[^1]:F2} s";
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("ROLLUP_KILL_SOAK_REPORT") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, report + Environment.NewLine + "recovery seconds, sorted: " + string.Join(", ", recoveries.Select(r => r.ToString("F2", CultureInfo.InvariantCulture))) + Environment.NewLine);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
