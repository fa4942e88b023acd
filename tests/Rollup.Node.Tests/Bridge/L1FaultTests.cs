using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Rollup.Bridge.Settlement;
using Rollup.Testing;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// A sequencer's deposit watcher and batch poster talking to L1 through <see cref="L1FaultProxy"/>: a third of the
/// requests dropped, delayed, answered 503, truncated or stale while traders submit and deposits arrive. Nothing is lost
/// or doubled, the node stays up, and once the provider heals the chain on L1 is the node's chain.
/// </summary>
public class L1FaultTests
{
    [Fact]
    public async Task Through_a_provider_that_drops_delays_errs_truncates_and_lags_nothing_is_lost_or_doubled_and_all_recovers()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = 5, TimelockDelayBlocks = 1 }, blockTimeSeconds: 0.5);
        await using var proxy = await L1FaultProxy.StartAsync(devnet.Anvil.Endpoint, seed: 7);
        proxy.Delay = TimeSpan.FromSeconds(1);
        await BridgeLoad.MintAsync(devnet);
        var load = new BridgeLoad(devnet);
        using var data = new TempDirectory("rollup-l1-faults");
        using var node = await NodeProcess.StartAsync(data.Path, BridgeLoad.NodeSettings(devnet, proxy.Endpoint));
        using var channel = GrpcChannel.ForAddress(node.Address);
        using var stop = new CancellationTokenSource();
        var senders = load.StartSenders(channel, stop.Token);

        proxy.Inject(0.33, Enum.GetValues<L1Fault>());
        for (var round = 0; round < 8; round++)
        {
            await load.DepositAsync(round); // the traders' own L1 transactions go to anvil directly
            await Task.Delay(750); // the faulty period runs on; nothing to wait for
        }
        Assert.All(Enum.GetValues<L1Fault>(), fault => Assert.True(proxy.Count(fault) > 0, $"no {fault} was injected"));
        proxy.Heal();
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        await load.CheckTheChainAsync(node, proxy.Endpoint);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(0, await node.StopAsync());
        Assert.DoesNotContain("crit:", node.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", node.Output, StringComparison.Ordinal);
    }
}
