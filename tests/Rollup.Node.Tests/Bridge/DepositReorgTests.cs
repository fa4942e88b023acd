using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Node.Bridge;

namespace Rollup.Node.Tests.Bridge;

/// <summary>Deposits and anvil_reorg: what a reorg drops is never credited, what it includes again is credited once.</summary>
public class DepositReorgTests
{
    [Fact]
    public async Task A_deposit_dropped_by_a_reorg_is_not_credited_and_its_reinclusion_is_credited_once()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig());
        var sequencer = devnet.StartSequencer();
        var alice = devnet.Sender(L1Devnet.Alice);
        await SettlementDeployer.MintAsync(alice, devnet.Deployment.Token, L1Devnet.Alice.Address, 1_000_000_000, default);
        var approve = ContractArtifact.MockUsdc.EncodeCall("approve", devnet.Deployment.Settlement.ToString(), new System.Numerics.BigInteger(1_000_000_000));
        (await alice.SendAndWaitAsync(new L1TransactionRequest { To = devnet.Deployment.Token, Data = approve })).EnsureSucceeded();

        var l1 = devnet.SequencerClient();
        var watcher = new DepositWatcher(l1, new SequencerDepositSink(sequencer), new DepositWatcherOptions { Confirmations = 3 }, NullLogger.Instance);
        await watcher.PollAsync(default);

        // The deposit is mined, seen, then its block is replaced by an empty one before it is confirmed.
        var deposit = await alice.SignAsync(new L1TransactionRequest
        {
            To = devnet.Deployment.Settlement,
            Data = ContractArtifact.Settlement.EncodeCall("deposit", 250_000_000UL, L1Devnet.Alice.Address.ToString()),
        });
        await alice.SendRawAsync(deposit);
        Assert.True((await alice.WaitForReceiptAsync(deposit.Hash)).Succeeded);
        Assert.Equal(0, await watcher.PollAsync(default));
        Assert.Equal(1UL, await l1.GetDepositCountAsync(default));

        await devnet.Dev.ReorgAsync(1);
        Assert.Equal(0UL, await l1.GetDepositCountAsync(default));
        await devnet.Dev.MineAsync(4);
        Assert.Equal(0, await watcher.PollAsync(default));
        Assert.Equal(1, watcher.Reorgs);
        Assert.Equal(0UL, sequencer.NextDepositIndex);

        // The same signed transaction included again by a second reorg: credited once it is deep enough, and only once.
        await devnet.Dev.ReorgAsync(2, [new AnvilReorgTransaction(deposit.Raw, 0)]);
        Assert.Equal(1UL, await l1.GetDepositCountAsync(default));
        Assert.Equal(0, await watcher.PollAsync(default));
        await devnet.Dev.MineAsync(3);
        Assert.Equal(1, await watcher.PollAsync(default));
        await devnet.Dev.MineAsync(3);
        Assert.Equal(0, await watcher.PollAsync(default));
        Assert.Equal(1UL, sequencer.NextDepositIndex);
        Assert.Equal(2, watcher.Reorgs);
    }
}
