using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Rollup.Bridge.Settlement;
using Rollup.Testing;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// A sequencer's deposit watcher and batch poster, and a validator node, each talking to L1 through its own
/// <see cref="L1FaultProxy"/>: a third of the requests dropped, delayed, answered 503, truncated or stale while traders
/// submit and deposits arrive. Nothing is lost or doubled, neither node goes down or reports a false disagreement, and
/// once the providers heal the chain on L1 is the sequencer's chain and the validator agrees with all of it.
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
        using var node = await NodeProcess.StartAsync(System.IO.Path.Combine(data.Path, "sequencer"), BridgeLoad.NodeSettings(devnet, proxy.Endpoint));
        await using var validatorProxy = await L1FaultProxy.StartAsync(devnet.Anvil.Endpoint, seed: 11);
        validatorProxy.Delay = TimeSpan.FromSeconds(1);
        var validatorSettings = BridgeLoad.NodeSettings(devnet, validatorProxy.Endpoint);
        validatorSettings["ROLLUP__NODE__VALIDATORCONFIRMATIONS"] = "2";
        using var validator = await NodeProcess.StartAsync(System.IO.Path.Combine(data.Path, "validator"), validatorSettings, command: "validator");
        using var http = new HttpClient();
        using var channel = GrpcChannel.ForAddress(node.Address);
        using var stop = new CancellationTokenSource();
        var senders = load.StartSenders(channel, stop.Token);

        proxy.Inject(0.33, Enum.GetValues<L1Fault>());
        validatorProxy.Inject(0.33, Enum.GetValues<L1Fault>());
        for (var round = 0; round < 8; round++)
        {
            await load.DepositAsync(round); // the traders' own L1 transactions go to anvil directly
            await Task.Delay(750); // the faulty period runs on; nothing to wait for
        }
        foreach (var faulty in new[] { proxy, validatorProxy })
        {
            Assert.All(Enum.GetValues<L1Fault>(), fault => Assert.True(faulty.Count(fault) > 0, $"no {fault} was injected"));
        }
        proxy.Heal();
        validatorProxy.Heal();
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        await load.CheckTheChainAsync(node, proxy.Endpoint);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        // The validator, faulted on its own, catches up with every batch on L1 and agrees with all of them.
        var committed = await devnet.SequencerClient().GetCommittedBatchCountAsync(default);
        await NodeWait.UntilAsync(async () => await NodeMetrics.ReadAsync(http, validator.MetricsPort, "rollup_validator_next_batch") >= committed, $"the validator agreed up to batch {committed}", validator);
        Assert.Equal(0, await NodeMetrics.ReadAsync(http, validator.MetricsPort, "rollup_validator_fault"));
        Assert.Equal(0, await NodeMetrics.ReadAsync(http, validator.MetricsPort, "rollup_validator_undecided_batches_total"));
        using var validatorChannel = GrpcChannel.ForAddress(validator.Address);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(validatorChannel).CheckAsync(new HealthCheckRequest())).Status);
        Assert.Contains("L1 read failed", validator.Output, StringComparison.Ordinal); // the faults were felt, and said

        Assert.Equal(0, await node.StopAsync());
        Assert.Equal(0, await validator.StopAsync());
        foreach (var process in new[] { node, validator })
        {
            Assert.DoesNotContain("crit:", process.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", process.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("DISAGREES", process.Output, StringComparison.Ordinal);
        }
    }
}
