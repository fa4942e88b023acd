using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Deposits;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.Deposits;

public class DepositWatcherTests
{
    private static readonly Address Alice = Address.Parse("0x00000000000000000000000000000000000a11ce");
    private static readonly Address Bob = Address.Parse("0x0000000000000000000000000000000000000b0b");

    private static DepositWatcher Watcher(FakeL1 l1, RecordingSink sink, int confirmations = 2) =>
        new(l1, sink, new DepositWatcherOptions { Confirmations = confirmations }, NullLogger.Instance);

    [Fact]
    public async Task A_deposit_is_credited_once_its_block_is_deep_enough_and_only_once()
    {
        var l1 = new FakeL1(blocks: 3);
        var sink = new RecordingSink();
        var watcher = Watcher(l1, sink);
        await watcher.PollAsync(default);
        l1.Mine(Alice, Bob);
        Assert.Equal(0, await watcher.PollAsync(default));
        l1.Mine();
        Assert.Equal(0, await watcher.PollAsync(default));
        l1.Mine();
        Assert.Equal(2, await watcher.PollAsync(default));
        l1.Mine();
        Assert.Equal(0, await watcher.PollAsync(default));
        Assert.Equal([0UL, 1UL], sink.Credited.Select(d => d.Index));
        Assert.Equal([Alice, Bob], sink.Credited.Select(d => d.L2Account));
    }

    [Fact]
    public async Task A_deposit_reorganised_away_before_confirmation_is_never_credited_and_its_reinclusion_is_credited_once()
    {
        var l1 = new FakeL1(blocks: 3);
        var sink = new RecordingSink();
        var watcher = Watcher(l1, sink);
        await watcher.PollAsync(default);
        l1.Mine(Alice);
        await watcher.PollAsync(default);
        l1.Reorg(depth: 1); // same height, the deposit's block replaced by an empty one
        l1.Mine();
        l1.Mine();
        l1.Mine();
        Assert.Equal(0, await watcher.PollAsync(default));
        Assert.Equal(1, watcher.Reorgs);
        Assert.Empty(sink.Credited);

        l1.Mine(Bob); // included again (the queue gives it index 0 again: Alice's never happened)
        l1.Mine();
        l1.Mine();
        Assert.Equal(1, await watcher.PollAsync(default));
        Assert.Equal(Bob, Assert.Single(sink.Credited).L2Account);
    }

    [Fact]
    public async Task A_reorg_that_keeps_the_deposit_block_changes_nothing()
    {
        var l1 = new FakeL1(blocks: 2);
        var sink = new RecordingSink();
        var watcher = Watcher(l1, sink, confirmations: 3);
        l1.Mine(Alice);
        l1.Mine();
        l1.Mine();
        await watcher.PollAsync(default);
        l1.Reorg(depth: 2);
        l1.Mine();
        Assert.Equal(1, await watcher.PollAsync(default));
        Assert.Equal(1, watcher.Reorgs);
        Assert.Single(sink.Credited);
    }

    [Fact]
    public async Task A_reorg_past_a_credited_deposit_stops_the_watcher()
    {
        var l1 = new FakeL1(blocks: 2);
        var sink = new RecordingSink();
        var watcher = Watcher(l1, sink, confirmations: 1);
        await watcher.PollAsync(default);
        l1.Mine(Alice);
        l1.Mine();
        Assert.Equal(1, await watcher.PollAsync(default));
        l1.Reorg(depth: 2);
        await Assert.ThrowsAsync<DeepReorgException>(() => watcher.PollAsync(default));
    }

    [Fact]
    public async Task After_a_restart_it_resumes_at_the_first_deposit_the_L2_lacks()
    {
        var l1 = new FakeL1(blocks: 2);
        l1.Mine(Alice);
        l1.Mine(Bob, Alice);
        l1.Mine();
        l1.Mine();
        var sink = new RecordingSink { NextDepositIndex = 1 }; // deposit 0 was credited before the restart
        var watcher = Watcher(l1, sink);
        Assert.Equal(2, await watcher.PollAsync(default));
        Assert.Equal([1UL, 2UL], sink.Credited.Select(d => d.Index));
    }

    [Fact]
    public async Task A_restarted_watcher_refuses_when_L1_now_queues_a_different_deposit_at_a_credited_index()
    {
        var (l1, sink) = await CreditedAliceThenReorgedAsync((Bob, 300));
        var restarted = Watcher(l1, sink, confirmations: 1);
        var refused = await Assert.ThrowsAsync<DeepReorgException>(() => restarted.PollAsync(default));
        Assert.Contains("deposit 0 as 100 to " + Alice, refused.Message, StringComparison.Ordinal);
        Assert.Contains("300 to " + Bob, refused.Message, StringComparison.Ordinal);
        Assert.Equal(Alice, Assert.Single(sink.Credited).L2Account);
        Assert.Equal(1UL, sink.NextDepositIndex);
    }

    [Fact]
    public async Task A_restarted_watcher_takes_the_same_deposit_in_another_block_and_credits_the_next_one()
    {
        var (l1, sink) = await CreditedAliceThenReorgedAsync((Alice, 100));
        l1.MineDeposits((Bob, 300));
        l1.Mine();
        var restarted = Watcher(l1, sink, confirmations: 1);
        Assert.Equal(1, await restarted.PollAsync(default));
        Assert.Equal([0UL, 1UL], sink.Credited.Select(d => d.Index));
        Assert.Equal((Bob, 300UL), (sink.Credited[1].L2Account, sink.Credited[1].Amount));
    }

    [Fact]
    public async Task The_refusal_at_start_ends_the_run_loop_instead_of_being_retried()
    {
        var (l1, sink) = await CreditedAliceThenReorgedAsync((Bob, 300));
        var restarted = new DepositWatcher(l1, sink, new DepositWatcherOptions { Confirmations = 1, PollInterval = TimeSpan.FromMilliseconds(10) }, NullLogger.Instance);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<DeepReorgException>(() => restarted.RunAsync(timeout.Token));
        Assert.Single(sink.Credited);
    }

    [Fact]
    public async Task The_start_check_looks_below_the_last_credited_deposit_as_far_as_StartCheckDeposits()
    {
        var l1 = new FakeL1(blocks: 4);
        var sink = new RecordingSink();
        var watcher = Watcher(l1, sink, confirmations: 1);
        await watcher.PollAsync(default);
        l1.MineDeposits((Alice, 100));
        l1.MineDeposits((Alice, 200));
        l1.Mine();
        Assert.Equal(2, await watcher.PollAsync(default));
        l1.Reorg(depth: 4);
        l1.MineDeposits((Bob, 300), (Alice, 200)); // index 1 as credited, index 0 not
        l1.Mine();

        var refused = await Assert.ThrowsAsync<DeepReorgException>(() => Watcher(l1, sink, confirmations: 1).PollAsync(default));
        Assert.Contains("deposit 0 as 100 to " + Alice, refused.Message, StringComparison.Ordinal);
        var lastOnly = new DepositWatcher(l1, sink, new DepositWatcherOptions { Confirmations = 1, StartCheckDeposits = 1 }, NullLogger.Instance);
        Assert.Equal(0, await lastOnly.PollAsync(default));
    }

    /// <summary>
    /// Alice's 100 credited at index 0 at depth 1, then a reorg deeper than that replaces its block, and a new block queues
    /// <paramref name="replacement"/> at index 0.
    /// </summary>
    private static async Task<(FakeL1 L1, RecordingSink Sink)> CreditedAliceThenReorgedAsync((Address Account, ulong Amount) replacement)
    {
        var l1 = new FakeL1(blocks: 4);
        var sink = new RecordingSink();
        var watcher = Watcher(l1, sink, confirmations: 1);
        await watcher.PollAsync(default);
        l1.MineDeposits((Alice, 100));
        l1.Mine();
        Assert.Equal(1, await watcher.PollAsync(default));
        l1.Reorg(depth: 3);
        l1.MineDeposits(replacement);
        l1.Mine();
        return (l1, sink);
    }

    [Fact]
    public async Task With_nothing_queued_it_starts_at_the_head_and_credits_later_deposits()
    {
        var l1 = new FakeL1(blocks: 50);
        var sink = new RecordingSink();
        var watcher = Watcher(l1, sink, confirmations: 0);
        await watcher.PollAsync(default);
        Assert.Equal(l1.Head + 1, watcher.NextBlock);
        l1.Mine(Alice);
        Assert.Equal(1, await watcher.PollAsync(default));
    }
}
