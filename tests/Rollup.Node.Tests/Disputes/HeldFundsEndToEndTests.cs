using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rollup.Api;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Execution.Steps;
using Rollup.Node.Bridge;
using Rollup.Node.Tests.Bridge;
using Rollup.Primitives;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Node.Tests.Disputes;

/// <summary>
/// The outbox dependency rule end to end on anvil (docs/disputes.md, "Finality / Left", rules 4 and 5): in batch 1 Alice
/// moves margin out of market 1, in batch 2 she withdraws past her unheld funds (drawing on that held credit) and Carol,
/// who never traded, withdraws too. A game against market 1's claim of batch 1 outlasts the window (window 40 blocks,
/// clocks 400): the batches are final on the accounts claim's schedule and Carol is paid, while Alice's withdrawal waits
/// for market 1. Claimed through the withdraw tool (<see cref="WithdrawalClaimer"/>) over the sequencer's Query API,
/// balances read from the token.
/// </summary>
public class HeldFundsEndToEndTests(ITestOutputHelper output)
{
    private const uint Traded = DisputeWorld.Traded;
    private const ulong Window = 40;
    private const ulong Clock = 400;

    [Fact]
    public async Task A_bogus_challenge_of_a_market_holds_only_the_withdrawal_of_funds_that_left_it_until_the_defender_wins()
    {
        await using var world = await DisputeWorld.StartAsync(lie: null, windowBlocks: Window, clockBlocks: Clock);
        var logs = new CapturedLogs(LogLevel.Information);
        var l1 = world.Devnet.SequencerClient();
        var committed = (await l1.GetCommittedBatchAsync(1, default))!;
        var truth = world.SequencerTraces.TracesOf(committed)[DomainId.OfMarket(Traded)];
        var bogus = new DishonestSequencer(1, DomainId.OfMarket(Traded), steps => steps - 1).LieOf(truth);
        var liar = new Challenger(world.Game.As(world.Devnet.Sender(DisputeWorld.ChallengerKey)), DisputedClaim.Of(1, committed.Claims, DomainId.OfMarket(Traded)), bogus, logs.CreateLogger("bogus challenger"));
        var (_, defender) = world.Players(logs);
        Assert.False((await liar.PlayAsync()).Ended);
        await defender.PlayRoundAsync(default);

        await using var api = await StartApiAsync(world);
        var claimer = new WithdrawalClaimer(world.Devnet.ClientOf(L1Devnet.Bob), api.Channel, TextWriter.Null);
        var alice = await PastTheWindowOnlyAlicesWithdrawalWaitsAsync(world, l1, claimer);

        // The withdraw tool with --wait (Carol pays its gas) waits for market 1 while the game is played out.
        var heldFrom = await world.Devnet.Rpc.GetBlockNumberAsync(default);
        var aliceBefore = await SettlementDeployer.BalanceOfAsync(world.Devnet.Rpc, world.Devnet.Deployment.Token, alice.Account, default);
        var progressOutput = new SynchronizedWriter();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var waiting = new WithdrawalClaimer(world.Devnet.ClientOf(DisputeWorld.Carol), api.Channel, progressOutput).ClaimAsync(alice.BlockNumber, (uint)alice.TxIndex, wait: true, patience.Token);
        PlayerProgress? progress = null;
        for (var round = 0; round < 40 && progress is not { Ended: true }; round++)
        {
            progress = await liar.PlayAsync();
            await defender.PlayRoundAsync(default);
        }
        Assert.Equal(DisputeGameStatus.DefenderWon, progress!.Status);
        Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Traded), default));
        var paid = await waiting;
        Assert.True(paid.Claimed, paid.Message);
        var aliceAfter = await SettlementDeployer.BalanceOfAsync(world.Devnet.Rpc, world.Devnet.Deployment.Token, alice.Account, default);
        Assert.Equal(DisputeWorld.AliceWithdraws, (ulong)(aliceAfter - aliceBefore));
        Assert.Contains("waiting: the withdrawal drew on funds held for market 1: market 1's claim in batch 1", progressOutput.Text, StringComparison.Ordinal);
        var paidAt = await world.Devnet.Rpc.GetBlockNumberAsync(default);
        output.WriteLine($"Carol paid at the window's end; Alice's withdrawal waited {paidAt - heldFrom} L1 blocks more, the rest of the game (clocks {Clock} blocks a side)");
    }

    [Fact]
    public async Task A_lying_market_holds_the_withdrawal_of_funds_that_left_it_until_its_re_post_is_final_while_the_others_are_paid_on_schedule()
    {
        var lie = new DishonestSequencer(batchIndex: 1, DomainId.OfMarket(Traded), steps => steps / 2);
        await using var world = await DisputeWorld.StartAsync(lie, windowBlocks: Window, clockBlocks: Clock);
        var logs = new CapturedLogs(LogLevel.Information);
        var validator = world.NewValidator(logs.CreateLogger("validator"));
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        Assert.Single((await validator.ValidateNextAsync(default))!.DisputedClaims);
        var (challenger, defender) = world.Players(logs, () => validator.Fault);
        await DisputeWorld.PlayAsync(challenger, defender, rounds: 2);
        Assert.False(Assert.Single(challenger.Games).Ended);

        var l1 = world.Devnet.SequencerClient();
        await using var api = await StartApiAsync(world);
        var claimer = new WithdrawalClaimer(world.Devnet.ClientOf(L1Devnet.Bob), api.Channel, TextWriter.Null);
        var alice = await PastTheWindowOnlyAlicesWithdrawalWaitsAsync(world, l1, claimer);

        // The challenger wins and the sequencer re-posts market 1 from batch 1 (the truth, in the same round).
        await DisputeWorld.PlayAsync(challenger, defender, rounds: 40);
        Assert.Equal(DisputeGameStatus.ChallengerWon, Assert.Single(challenger.Games).Status);
        Assert.Equal(1UL, Assert.Single(await l1.GetRepostsAsync(default)).FromBatch);
        // The re-posted claims pay once they are final: until then Alice's withdrawal waits for their window.
        var pending = await claimer.ClaimAsync(alice.BlockNumber, (uint)alice.TxIndex, wait: false, default);
        Assert.Equal(ClaimResult.NotYet, pending.Result);
        Assert.Contains("market 1's claim in batch 1 (holding block", pending.Message, StringComparison.Ordinal);
        Assert.Contains("is Pending", pending.Message, StringComparison.Ordinal);
        await AssertL1RefusesAsync(world, l1, alice, "HeldMarketNotFinal");
        await world.Devnet.Dev.MineAsync(Window + 1);
        Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Traded), default));
        // After the re-post market 1 finalizes, and the trader whose funds left it inside the lie is paid too: the
        // accounts steps that read its outbox are proven only against its Final claim, so the credit is what it owed.
        await AssertPaidAsync(world, claimer, alice, DisputeWorld.AliceWithdraws);

        // The validator sees the re-post and agrees with batch 1 now.
        Assert.True(await validator.RecheckFaultAsync(default));
        // Every root of batch 2 is the validator's too, L1's claims as they stand.
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        Assert.Equal(3UL, validator.NextBatchIndex);
    }

    /// <summary>The claimer's progress lines, written from its own task while the test reads them after it ends.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return ToString();
                }
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
            }
            return Task.CompletedTask;
        }
    }

    private sealed record Api(IAsyncDisposable Host, Grpc.Net.Client.GrpcChannel Channel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Channel.Dispose();
            await Host.DisposeAsync();
        }
    }

    private static async Task<Api> StartApiAsync(DisputeWorld world)
    {
        var server = await ApiTestHost.StartAsync(services => services.AddSingleton(new QueryService(world.Sequencer)), endpoints => endpoints.MapGrpcService<QueryService>());
        return new Api(server, server.CreateChannel());
    }

    /// <summary>
    /// With market 1's game of batch 1 open, batch 2's window passes: Carol's withdrawal (it drew on no held credit) is
    /// paid, Alice's (it drew on the credit held for market 1 from batch 1) is refused, by the tool and by L1. Alice's.
    /// </summary>
    private static async Task<Withdrawal> PastTheWindowOnlyAlicesWithdrawalWaitsAsync(DisputeWorld world, SettlementClient l1, WithdrawalClaimer claimer)
    {
        var (alice, carol) = await WithdrawalsOfBatch2Async(world, l1);
        await PastTheWindowOfBatch2Async(world, l1);
        Assert.Equal(ClaimStatus.Disputed, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Traded), default));
        await AssertPaidAsync(world, claimer, carol, DisputeWorld.CarolWithdraws);
        var held = await claimer.ClaimAsync(alice.BlockNumber, (uint)alice.TxIndex, wait: false, default);
        Assert.Equal(ClaimResult.NotYet, held.Result);
        Assert.Contains("market 1's claim in batch 1", held.Message, StringComparison.Ordinal);
        Assert.Contains("is Disputed", held.Message, StringComparison.Ordinal);
        await AssertL1RefusesAsync(world, l1, alice, "HeldMarketNotFinal");
        return alice;
    }

    private static List<BlockRecord> RecordsOf(DisputeWorld world, ulong firstBlock, ulong lastBlock) =>
        world.Sequencer.Read(e => Enumerable.Range((int)firstBlock, (int)(lastBlock - firstBlock + 1)).Select(n => e.GetBlock((ulong)n)!).ToList());

    private static async Task<(Withdrawal Alice, Withdrawal Carol)> WithdrawalsOfBatch2Async(DisputeWorld world, SettlementClient l1)
    {
        var batch = (await l1.GetCommittedBatchAsync(2, default))!.Commitment;
        var withdrawals = BlockWithdrawals.Of(RecordsOf(world, batch.FirstBlock, batch.LastBlock));
        var alice = withdrawals.Single(w => w.Account == L1Devnet.Alice.Address);
        var carol = withdrawals.Single(w => w.Account == DisputeWorld.Carol.Address);
        var batch1 = (await l1.GetCommittedBatchAsync(1, default))!.Commitment;
        var draw = Assert.Single(alice.Drawn!);
        Assert.Equal(Traded, draw.Market);
        Assert.InRange(draw.Block, batch1.FirstBlock, batch1.LastBlock);
        Assert.Null(carol.Drawn);
        return (alice, carol);
    }

    private static async Task PastTheWindowOfBatch2Async(DisputeWorld world, SettlementClient l1)
    {
        var finalAt = await l1.GetFinalAtAsync(2, default);
        var now = await world.Devnet.Rpc.GetBlockNumberAsync(default);
        Assert.True(now < finalAt, $"batch 2's window ended at {finalAt}, before the game was open at {now}: the world took too many L1 blocks");
        await world.Devnet.Dev.MineAsync(finalAt - now);
        Assert.True(await l1.IsFinalizedAsync(2, default));
    }

    private static async Task AssertPaidAsync(DisputeWorld world, WithdrawalClaimer claimer, Withdrawal withdrawal, ulong amount)
    {
        var token = world.Devnet.Deployment.Token;
        var before = await SettlementDeployer.BalanceOfAsync(world.Devnet.Rpc, token, withdrawal.Account, default);
        var outcome = await claimer.ClaimAsync(withdrawal.BlockNumber, (uint)withdrawal.TxIndex, wait: false, default);
        Assert.True(outcome.Claimed, outcome.Message);
        var after = await SettlementDeployer.BalanceOfAsync(world.Devnet.Rpc, token, withdrawal.Account, default);
        Assert.Equal(amount, (ulong)(after - before));
    }

    /// <summary>The withdrawal sent straight to L1 with the cover the claimer would give: refused with <paramref name="error"/>.</summary>
    private static async Task AssertL1RefusesAsync(DisputeWorld world, SettlementClient l1, Withdrawal withdrawal, string error)
    {
        var batch = (await l1.FindBatchAsync(withdrawal.BlockNumber, default))!.Value;
        var records = RecordsOf(world, batch.FirstBlock, batch.LastBlock);
        var proof = Rollup.Bridge.Batches.BatchAssembler.ProveWithdrawal(BlockWithdrawals.Of(records), withdrawal.BlockNumber, withdrawal.TxIndex);
        var (_, end) = AccountsClaims.ClaimWithEndState(world.Sequencer.Read(e => e.AccountsDomainStateAfter(batch.FirstBlock - 1)), batch.FirstSequence, records);
        var (accounts, reason) = await l1.OpenAccountsEndAsync(batch.BatchIndex, end.AbiEncode(), default);
        Assert.True(accounts is not null, reason);
        var drawn = new List<HeldDrawCover>();
        foreach (var draw in withdrawal.Drawn!.Span.ToArray())
        {
            drawn.Add(new HeldDrawCover(draw.Market, draw.Block, (await l1.FindBatchAsync(draw.Block, default))!.Value.BatchIndex));
        }
        var refused = await Assert.ThrowsAsync<L1RevertedException>(() => world.Devnet.ClientOf(L1Devnet.Bob).ClaimWithdrawalAsync(
            batch.BatchIndex, withdrawal.BlockNumber, (uint)withdrawal.TxIndex, withdrawal.Account, (ulong)withdrawal.Amount, drawn, proof.Path.Siblings, accounts!, default));
        Assert.Contains(error, refused.Message, StringComparison.Ordinal);
    }
}
