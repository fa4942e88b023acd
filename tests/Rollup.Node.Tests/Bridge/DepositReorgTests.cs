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

    /// <summary>
    /// anvil_reorg of 10 under a watcher at depth 1: the deposit in the replaced tip block was seen, not credited, and is
    /// forgotten; a credited deposit older than the reorg stays; the dropped deposit included again is credited once.
    /// </summary>
    [Fact]
    public async Task A_reorg_of_ten_blocks_forgets_the_uncredited_deposit_and_credits_it_once_when_it_is_back()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig());
        var sequencer = devnet.StartSequencer();
        var alice = await ApprovedAsync(devnet, L1Devnet.Alice);
        var l1 = devnet.SequencerClient();
        var watcher = new DepositWatcher(l1, new SequencerDepositSink(sequencer), new DepositWatcherOptions { Confirmations = 1 }, NullLogger.Instance);
        await watcher.PollAsync(default);

        var kept = await SignDepositAsync(alice, devnet, 100);
        await alice.SendRawAsync(kept);
        Assert.True((await alice.WaitForReceiptAsync(kept.Hash)).Succeeded);
        await devnet.Dev.MineAsync(1);
        Assert.Equal(1, await watcher.PollAsync(default));
        await devnet.Dev.MineAsync(10); // the credited deposit is now below the reorg

        var dropped = await SignDepositAsync(alice, devnet, 200);
        await alice.SendRawAsync(dropped);
        Assert.True((await alice.WaitForReceiptAsync(dropped.Hash)).Succeeded);
        Assert.Equal(0, await watcher.PollAsync(default)); // seen in the head block, one confirmation short
        Assert.Equal(2UL, await l1.GetDepositCountAsync(default));

        await devnet.Dev.ReorgAsync(10);
        Assert.Equal(1UL, await l1.GetDepositCountAsync(default));
        await devnet.Dev.MineAsync(3);
        Assert.Equal(0, await watcher.PollAsync(default));
        Assert.Equal(1, watcher.Reorgs);
        Assert.Equal(1UL, sequencer.NextDepositIndex);

        await devnet.Dev.ReorgAsync(1, [new AnvilReorgTransaction(dropped.Raw, 0)]);
        await devnet.Dev.MineAsync(1);
        Assert.Equal(1, await watcher.PollAsync(default));
        await devnet.Dev.MineAsync(2);
        Assert.Equal(0, await watcher.PollAsync(default));
        Assert.Equal(2UL, sequencer.NextDepositIndex);
        await UntilAsync(() => sequencer.Read(engine => engine.Head.NextDepositIndex) == 2, "the two deposits executed");
        Assert.Equal(300L, sequencer.Read(engine => engine.TryGetFreeBalance(L1Devnet.Alice.Address, out var balance) ? balance : -1));
    }

    /// <summary>
    /// A reorg of 10 past a deposit credited at depth 1: the watcher stops with <see cref="DeepReorgException"/> (the L2 holds a
    /// deposit L1 no longer has), and a watcher started afterwards (the node restarted by its supervisor) refuses too while
    /// L1's queue is shorter than what the L2 credited, instead of waiting to skip the next deposit L1 queues at that index.
    /// </summary>
    [Fact]
    public async Task A_reorg_past_a_credited_deposit_stops_the_watcher_and_a_restarted_watcher_refuses_while_L1_lacks_it()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig());
        var sequencer = devnet.StartSequencer();
        var alice = devnet.Sender(L1Devnet.Alice);
        await SettlementDeployer.MintAsync(alice, devnet.Deployment.Token, L1Devnet.Alice.Address, 1_000, default);
        await devnet.Dev.MineAsync(12); // a chain long enough for anvil to reorg 10 blocks
        var sink = new SequencerDepositSink(sequencer);
        var watcher = new DepositWatcher(devnet.SequencerClient(), sink, new DepositWatcherOptions { Confirmations = 1 }, NullLogger.Instance);
        await watcher.PollAsync(default);
        await SettlementDeployer.DepositAsync(alice, devnet.Deployment, 100, L1Devnet.Alice.Address, default);
        await devnet.Dev.MineAsync(1);
        Assert.Equal(1, await watcher.PollAsync(default));

        await devnet.Dev.ReorgAsync(10);
        var stopped = await Assert.ThrowsAsync<DeepReorgException>(() => watcher.PollAsync(default));
        Assert.Contains("deposit 0", stopped.Message, StringComparison.Ordinal);

        await devnet.Dev.MineAsync(2);
        var restarted = new DepositWatcher(devnet.SequencerClient(), sink, new DepositWatcherOptions { Confirmations = 1 }, NullLogger.Instance);
        var refused = await Assert.ThrowsAsync<DeepReorgException>(() => restarted.PollAsync(default));
        Assert.Contains("deposit 0", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, sequencer.NextDepositIndex);
    }

    /// <summary>
    /// A reorg of 10 past alice's deposit credited at depth 1 puts bob's deposit at queue index 0: L1's queue is as long as
    /// what the L2 credited, but not the same. A watcher started afterwards (a restart) refuses instead of going on with
    /// alice's 100 credited and bob's 300 never.
    /// </summary>
    [Fact]
    public async Task A_restarted_watcher_refuses_when_a_deep_reorg_put_another_deposit_at_a_credited_index()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig());
        var sequencer = devnet.StartSequencer();
        var alice = await ApprovedAsync(devnet, L1Devnet.Alice);
        var bob = await ApprovedAsync(devnet, L1Devnet.Bob);
        await devnet.Dev.MineAsync(12); // both approvals below the reorg
        var sink = new SequencerDepositSink(sequencer);
        var watcher = new DepositWatcher(devnet.SequencerClient(), sink, new DepositWatcherOptions { Confirmations = 1 }, NullLogger.Instance);
        await watcher.PollAsync(default);
        // Signed while the queue is empty, as it is again after the reorg: its gas is estimated for writing index 0.
        var bobDeposit = await SignDepositAsync(bob, devnet, 300);

        var aliceDeposit = await SignDepositAsync(alice, devnet, 100);
        await alice.SendRawAsync(aliceDeposit);
        Assert.True((await alice.WaitForReceiptAsync(aliceDeposit.Hash)).Succeeded);
        await devnet.Dev.MineAsync(1);
        Assert.Equal(1, await watcher.PollAsync(default));
        // Executed, so the restarted watcher learns what the L2 credited from the stored blocks, as after a real restart.
        await UntilAsync(() => sequencer.Read(engine => engine.Head.NextDepositIndex) == 1, "alice's deposit executed");

        await devnet.Dev.ReorgAsync(10, [new AnvilReorgTransaction(bobDeposit.Raw, 0)]);
        var l1 = devnet.SequencerClient();
        Assert.True((await bob.WaitForReceiptAsync(bobDeposit.Hash)).Succeeded);
        Assert.Equal((L1Devnet.Bob.Address, 300UL), await l1.GetQueuedDepositAsync(0, default));
        Assert.Equal(1UL, await l1.GetDepositCountAsync(default));

        var restarted = new DepositWatcher(l1, sink, new DepositWatcherOptions { Confirmations = 1 }, NullLogger.Instance);
        var refused = await Assert.ThrowsAsync<DeepReorgException>(() => restarted.PollAsync(default));
        Assert.Contains("deposit 0 as 100 to " + L1Devnet.Alice.Address, refused.Message, StringComparison.Ordinal);
        Assert.Contains("300 to " + L1Devnet.Bob.Address, refused.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, sequencer.NextDepositIndex);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 30 s: {what}");
            await Task.Delay(20);
        }
    }

    private static async Task<TransactionSender> ApprovedAsync(L1Devnet devnet, Primitives.Signatures.PrivateKey key)
    {
        var sender = devnet.Sender(key);
        await SettlementDeployer.MintAsync(sender, devnet.Deployment.Token, key.Address, 1_000_000_000, default);
        var approve = ContractArtifact.MockUsdc.EncodeCall("approve", devnet.Deployment.Settlement.ToString(), new System.Numerics.BigInteger(1_000_000_000));
        (await sender.SendAndWaitAsync(new L1TransactionRequest { To = devnet.Deployment.Token, Data = approve })).EnsureSucceeded();
        return sender;
    }

    private static Task<SignedL1Transaction> SignDepositAsync(TransactionSender sender, L1Devnet devnet, ulong amount) =>
        sender.SignAsync(new L1TransactionRequest
        {
            To = devnet.Deployment.Settlement,
            Data = ContractArtifact.Settlement.EncodeCall("deposit", amount, sender.Address.ToString()),
        });
}
