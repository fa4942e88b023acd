using System.Numerics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Node.Bridge;
using Rollup.Node.Tests.Bridge;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Node.Tests.Disputes;

/// <summary>
/// The nodes' dispute roles end to end on anvil (docs/disputes.md, "Roles in the nodes"): a sequencer's poster and
/// defender, a validator's challenger, each from its own engine, store and provable engine, over three batches of a
/// real flow (deposits from L1, two markets, a trade, a withdrawal); the batch disputed is the middle one, so both
/// sides trace it from a provable engine already past its start.
/// </summary>
public class DisputeEndToEndTests(ITestOutputHelper output)
{
    private const uint Traded = DisputeWorld.Traded;
    private const uint Quiet = DisputeWorld.Quiet;
    private static readonly BigInteger Ether = DisputeWorld.Ether;
    private static readonly DisputeGameConfig Config = DisputeWorld.Config;
    private static readonly PrivateKey ChallengerKey = DisputeWorld.ChallengerKey;

    [Fact]
    public async Task Lying_sequencer_its_market_claim_is_felled_by_the_validators_challenge_through_a_restart_and_the_other_claims_stand()
    {
        var lie = new DishonestSequencer(batchIndex: 1, DomainId.OfMarket(Traded), steps => steps / 2);
        await using var world = await DisputeWorld.StartAsync(lie);
        Assert.True((await world.Validator.ValidateNextAsync(default))!.Agrees);
        var disputed = Assert.Single((await world.Validator.ValidateNextAsync(default))!.DisputedClaims);
        Assert.Equal((DomainId.OfMarket(Traded), DishonestSequencer.Lie(disputed.Ours!.Value.End)), (disputed.Domain, disputed.Posted!.Value.End));

        var logs = new CapturedLogs(LogLevel.Information);
        var before = await world.BalanceOfAsync(ChallengerKey.Address);
        var (challenger, defender) = world.Players(logs);
        var (c, d) = await DisputeWorld.PlayAsync(challenger, defender, rounds: 3);
        // Both nodes restart mid-game: the validator disagrees with the batch again, the players are made anew and carry on from L1.
        var validator = world.NewValidator();
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        Assert.Equal(disputed, Assert.Single((await validator.ValidateNextAsync(default))!.DisputedClaims));
        (challenger, defender) = world.Players(logs, () => validator.Fault);
        var (c2, d2) = await DisputeWorld.PlayAsync(challenger, defender, rounds: 40);

        var game = Assert.Single(challenger.Games);
        Assert.Equal(DisputeGameStatus.ChallengerWon, game.Status);
        var steps = disputed.Posted!.Value.Steps;
        DisputeWorld.AssertWithinBound(steps, c + c2, d + d2);
        // The claim fell, and in the same round the sequencer re-posted market 1's claims from batch 1 on (its own: the
        // truth), so L1 now holds that re-post as market 1's claims of batches 1 and 2; the other claims stand.
        var l1 = world.Devnet.SequencerClient();
        var repost = Assert.Single(await l1.GetRepostsAsync(default));
        Assert.Equal((DomainId.OfMarket(Traded), 1UL, 2), (repost.Domain, repost.FromBatch, repost.Claims.Count));
        Assert.Equal(disputed.Ours, repost.Claims[0]);
        Assert.Equal(ClaimStatus.Pending, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Traded), default));
        Assert.False(await world.Game.IsClaimFallenAsync(1, DomainId.OfMarket(Quiet)));
        Assert.False(await world.Game.IsClaimFallenAsync(1, DomainId.Accounts));
        Assert.False(await world.Game.IsClaimFallenAsync(0, DomainId.OfMarket(Traded)));
        await defender.PlayRoundAsync(default); // its watch reads the end of the game
        Print(logs);
        // The challenger got its bond back and the defender's less the burn, and withdrew it.
        Assert.Equal(BigInteger.Zero, await world.Game.GetCreditAsync(ChallengerKey.Address));
        var gained = await world.BalanceOfAsync(ChallengerKey.Address) - before;
        Assert.InRange(gained, Config.DefenderBond - Config.Burnt(Config.DefenderBond) - (Ether / 100), Config.DefenderBond - Config.Burnt(Config.DefenderBond));
        // The sequencer's watch saw the game end, and the validator proved the step the lie starts after.
        Assert.Contains(logs.Entries, e => e.Category == "sequencer watch" && e.Message.Contains("ended: ChallengerWon", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Category == "validator" && e.Message.Contains($"step {steps / 2} proven", StringComparison.Ordinal));
        output.WriteLine($"market {Traded}: {steps} steps, challenger {c + c2} moves, defender {d + d2} moves, the challenger gained {gained} wei");

        // Finality per domain: before the window ends nothing is final; then the other domains finalize on schedule, and
        // market 1's re-posted claims once their own window (from the re-post) has passed.
        Assert.Equal(ClaimStatus.Pending, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Quiet), default));
        await world.Devnet.Dev.MineAsync(DisputeWorld.DefaultWindow + 1);
        foreach (var domain in new[] { DomainId.Accounts, DomainId.OfMarket(Quiet) })
        {
            Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(1, domain, default));
            Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(2, domain, default));
        }
        // Withdrawals wait for the accounts claim only (the outbox dependency rule comes later): batch 2's pays on schedule.
        Assert.True(await l1.IsFinalizedAsync(2, default));
        // The re-posted claims of market 1 (the truth) got a window of their own from the re-post, which has passed too.
        Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Traded), default));
        Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(2, DomainId.OfMarket(Traded), default));

        // The validator sees the re-post, agrees with the batch now, and goes on.
        Assert.True(await validator.RecheckFaultAsync(default));
        Assert.Null(validator.Fault);
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        Assert.Equal(3UL, validator.NextBatchIndex);
        Assert.Contains(logs.Entries, e => e.Message.Contains("re-posted the domain's claims of 2 batches", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Honest_sequencer_defends_its_claim_and_takes_the_bond_of_a_challenger_that_lies()
    {
        await using var world = await DisputeWorld.StartAsync(lie: null);
        var logs = new CapturedLogs(LogLevel.Information);
        var committed = (await world.Devnet.SequencerClient().GetCommittedBatchAsync(1, default))!;
        var truth = world.SequencerTraces.TracesOf(committed)[DomainId.OfMarket(Traded)];
        Assert.Equal(committed.Claims.Single(k => k.Domain == DomainId.OfMarket(Traded)).Claim, truth.Claim);
        var bogus = new DishonestSequencer(1, DomainId.OfMarket(Traded), steps => steps - 1).LieOf(truth);
        var liar = new Challenger(world.Game.As(world.Devnet.Sender(ChallengerKey)), DisputedClaim.Of(1, committed.Claims, DomainId.OfMarket(Traded)), bogus, logs.CreateLogger("bogus challenger"));
        var (_, defender) = world.Players(logs);
        var sequencerBefore = await world.BalanceOfAsync(L1Devnet.SequencerKey.Address);

        var (c, d) = (0, 0L);
        PlayerProgress? progress = null;
        for (var round = 0; round < 40 && progress is not { Ended: true }; round++)
        {
            progress = await liar.PlayAsync();
            c += progress.Moves;
            var moves = defender.MovesMade;
            await defender.PlayRoundAsync(default);
            d += defender.MovesMade - moves;
        }
        Print(logs);
        Assert.Equal(DisputeGameStatus.DefenderWon, progress!.Status);
        // The game ids the players compute are the contract's, for the claim as committed and for a re-posted version.
        foreach (var version in new uint[] { 0, 1, 3 })
        {
            Assert.Equal(DisputeGameClient.GameIdAt(1, DomainId.OfMarket(Traded), ChallengerKey.Address, version), await world.Game.GetGameIdAtAsync(1, DomainId.OfMarket(Traded), ChallengerKey.Address, version));
        }
        Assert.Equal(progress.GameId, DisputeGameClient.GameIdOf(1, DomainId.OfMarket(Traded), ChallengerKey.Address));
        DisputeWorld.AssertWithinBound(truth.Steps, c, (int)d);
        Assert.False(await world.Game.IsClaimFallenAsync(1, DomainId.OfMarket(Traded)));
        Assert.Equal(BigInteger.Zero, await world.Game.GetCreditAsync(L1Devnet.SequencerKey.Address));
        var gained = await world.BalanceOfAsync(L1Devnet.SequencerKey.Address) - sequencerBefore;
        Assert.InRange(gained, Config.ChallengerBond - Config.Burnt(Config.ChallengerBond) - (Ether / 100), Config.ChallengerBond - Config.Burnt(Config.ChallengerBond));

        // A watch started after the game was over (a new watcher, a restart) reports it over, not only started.
        var lateLogs = new CapturedLogs(LogLevel.Information);
        var late = new GameWatch(world.Devnet.Rpc, world.Game, world.Deployment.DeploymentBlock, lateLogs.CreateLogger("late watch"));
        await late.RefreshAsync(default);
        Assert.Equal(DisputeGameStatus.DefenderWon, Assert.Single(late.Games).State.Status);
        Assert.Contains(lateLogs.Entries, e => e.Message.Contains("ended: DefenderWon", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lying_sequencer_that_does_not_defend_loses_on_its_clock_and_a_challenger_that_stops_answering_loses_on_its_own()
    {
        // The lying sequencer's defender is down: the validator's challenger calls timeout once the defender's clock is out, not before.
        var lie = new DishonestSequencer(batchIndex: 1, DomainId.OfMarket(Traded), steps => steps / 2);
        await using (var world = await DisputeWorld.StartAsync(lie))
        {
            Assert.True((await world.Validator.ValidateNextAsync(default))!.Agrees);
            Assert.False((await world.Validator.ValidateNextAsync(default))!.Agrees);
            var logs = new CapturedLogs(LogLevel.Information);
            var (challenger, _) = world.Players(logs);
            await challenger.PlayRoundAsync(default);
            var game = Assert.Single(challenger.Games);
            Assert.Equal((DisputeGameStatus.Open, DisputeSide.Defender), (game.Status, game.Game.ToMove));
            await world.Devnet.Dev.MineAsync(Config.ClockBlocks - 2);
            await challenger.PlayRoundAsync(default);
            Assert.Equal(DisputeGameStatus.Open, Assert.Single(challenger.Games).Status);
            await world.Devnet.Dev.MineAsync(2);
            await challenger.PlayRoundAsync(default);
            Assert.Equal(DisputeGameStatus.ChallengerWon, Assert.Single(challenger.Games).Status);
            Assert.True(await world.Game.IsClaimFallenAsync(1, DomainId.OfMarket(Traded)));
            Assert.Contains(logs.Entries, e => e.Message.Contains("the defender's clock ran out, timed out", StringComparison.Ordinal));
            // No one re-posts here: market 1 is void from batch 1 on; the other domains' claims, and market 1's of batch 0,
            // only waited for their window, which the clock (longer than the window) outlasted.
            var l1 = world.Devnet.SequencerClient();
            Assert.Equal(ClaimStatus.Fallen, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Traded), default));
            Assert.Equal(ClaimStatus.Void, await l1.GetClaimStatusAsync(2, DomainId.OfMarket(Traded), default));
            Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(0, DomainId.OfMarket(Traded), default));
            Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(2, DomainId.OfMarket(Quiet), default));
            Assert.Equal(ClaimStatus.Void, await l1.GetClaimStatusAsync(2, DomainId.OfMarket(Traded), default));
            Assert.True(await l1.IsFinalizedAsync(2, default));

            // The sequencer re-posts, lying again about batch 1: the validator sees the re-post, still disagrees, and
            // challenges the re-posted claim (its version 1: a game id of its own, no siblings); that falls too.
            var truth = (await world.Validator.ValidateNextAsync(default) ?? world.Validator.Fault)!.DisputedClaims.Single().Ours!.Value;
            var fallen = DisputedClaim.Of(1, (await l1.GetCommittedBatchAsync(1, default))!.Claims, DomainId.OfMarket(Traded));
            var batch2 = (await l1.GetCommittedBatchAsync(2, default))!.Claims.Single(k => k.Domain == DomainId.OfMarket(Traded)).Claim;
            var lieAgain = truth with { End = DishonestSequencer.Lie(DishonestSequencer.Lie(truth.End)) };
            await l1.RepostClaimsAsync(DomainId.OfMarket(Traded), 1, fallen.Posted, fallen.Siblings, [lieAgain, batch2], default);
            Assert.False(await world.Validator.RecheckFaultAsync(default));
            Assert.Equal(lieAgain, Assert.Single(world.Validator.Fault!.DisputedClaims).Posted);
            var (again, _) = world.Players(logs);
            await again.PlayRoundAsync(default);
            var second = Assert.Single(again.Games);
            Assert.Equal(DisputeGameClient.GameIdAt(1, DomainId.OfMarket(Traded), ChallengerKey.Address, 1), second.GameId);
            Assert.Equal(DisputeGameStatus.Open, second.Status);
            await world.Devnet.Dev.MineAsync(Config.ClockBlocks);
            await again.PlayRoundAsync(default);
            Assert.Equal(DisputeGameStatus.ChallengerWon, Assert.Single(again.Games).Status);
            Assert.Equal(ClaimStatus.Fallen, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Traded), default));
        }

        // An honest sequencer against a challenger that challenges and then says nothing: the defender times it out.
        await using (var world = await DisputeWorld.StartAsync(lie: null))
        {
            var logs = new CapturedLogs(LogLevel.Information);
            var committed = (await world.Devnet.SequencerClient().GetCommittedBatchAsync(1, default))!;
            var truth = world.SequencerTraces.TracesOf(committed)[DomainId.OfMarket(Traded)];
            var silent = new Challenger(
                world.Game.As(world.Devnet.Sender(ChallengerKey)), DisputedClaim.Of(1, committed.Claims, DomainId.OfMarket(Traded)),
                new DishonestSequencer(1, DomainId.OfMarket(Traded), steps => 0).LieOf(truth), logs.CreateLogger("silent challenger"));
            var (_, defender) = world.Players(logs);
            var challenged = await silent.PlayAsync();
            await defender.PlayRoundAsync(default);
            Assert.Equal(DisputeSide.Challenger, (await world.Game.GetGameAsync(challenged.GameId)).ToMove);
            await world.Devnet.Dev.MineAsync(Config.ClockBlocks);
            await defender.PlayRoundAsync(default);
            await defender.PlayRoundAsync(default); // its watch reads the end
            Assert.Equal(DisputeGameStatus.DefenderWon, (await world.Game.GetGameAsync(challenged.GameId)).Status);
            Assert.False(await world.Game.IsClaimFallenAsync(1, DomainId.OfMarket(Traded)));
            Assert.Contains(logs.Entries, e => e.Message.Contains("the challenger's clock ran out, timed out", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    public async Task Lying_sequencer_a_claim_with_a_broken_start_is_felled_at_once_and_re_posted_from_the_sound_start(ulong batch)
    {
        var market = DomainId.OfMarket(Traded);
        await using var world = await DisputeWorld.StartAsync(DishonestSequencer.StartOf(batch, market));
        var disputed = await DisagreementAtAsync(world, batch);
        Assert.Equal(DishonestSequencer.Lie(disputed.Ours!.Value.Start), disputed.Posted!.Value.Start);
        Assert.Equal(disputed.Ours!.Value.End, disputed.Posted!.Value.End);
        var l1 = world.Devnet.SequencerClient();
        var logs = new CapturedLogs(LogLevel.Information);
        var (challenger, defender) = world.Players(logs);

        // One transaction, no game and no bond: the start is shown against market 1's claim of the batch before, or for
        // batch 0 against the empty genesis.
        await FellsAtOnceAsync(challenger, l1, batch, market);
        Assert.Equal(ClaimStatus.Void, await l1.GetClaimStatusAsync(batch + 1, market, default));
        foreach (var domain in new[] { DomainId.Accounts, DomainId.OfMarket(Quiet) })
        {
            Assert.Equal(ClaimStatus.Pending, await l1.GetClaimStatusAsync(batch, domain, default));
        }
        var felled = Assert.Single(logs.Entries, e => e.Category == "validator" && e.Message.Contains($"the claim starting at {disputed.Posted!.Value.Start}, not ", StringComparison.Ordinal));
        Assert.Contains(" fell (", felled.Message, StringComparison.Ordinal);

        // The sequencer's watch reads the fall (no game) and re-posts market 1 from the batch: its own claims, true start.
        await defender.PlayRoundAsync(default);
        var repost = Assert.Single(await l1.GetRepostsAsync(default));
        Assert.Equal((market, batch, 3 - (int)batch), (repost.Domain, repost.FromBatch, repost.Claims.Count));
        Assert.Equal(disputed.Ours, repost.Claims[0]);
        Assert.Equal(ClaimStatus.Pending, await l1.GetClaimStatusAsync(batch, market, default));
        Assert.Contains(logs.Entries, e => e.Category == "sequencer watch" && e.Message.Contains("felled at once", StringComparison.Ordinal));
        await defender.PlayRoundAsync(default);
        Assert.Single(await l1.GetRepostsAsync(default)); // once

        // The re-posted start follows the claim before (the empty genesis for batch 0): shown broken, L1 refuses.
        // So does the honest accounts claim's start: the C# trace's start is the one L1 rebuilds (for batch 0, all zero words).
        var committed = (await l1.GetCommittedBatchAsync(batch, default))!;
        foreach (var domain in new[] { market, DomainId.Accounts })
        {
            var standing = DisputedClaim.AsItStands(committed, await l1.GetRepostsAsync(default), domain);
            var previous = PreviousClaim.None;
            if (batch > 0)
            {
                var before = (await l1.GetCommittedBatchAsync(batch - 1, default))!;
                previous = PreviousClaim.Of(StandingClaims.AsCommitted(before.Claims), domain, world.SequencerTraces.TracesOf(before)).Previous!;
            }
            var refused = await Assert.ThrowsAsync<DisputeGameRevertedException>(() => world.Game.As(world.Devnet.Sender(ChallengerKey)).ProveStartBrokenAsync(standing, previous));
            Assert.Contains("StartFollows", refused.Message, StringComparison.Ordinal);
        }

        // The validator sees the re-post, agrees with the batch now and goes on; market 1 finalizes under the re-post's window.
        Assert.True(await world.Validator.RecheckFaultAsync(default));
        Assert.Null(world.Validator.Fault);
        while (world.Validator.NextBatchIndex < 3)
        {
            Assert.True((await world.Validator.ValidateNextAsync(default))!.Agrees);
        }
        await world.Devnet.Dev.MineAsync(DisputeWorld.DefaultWindow + 1);
        for (var b = batch; b < 3; b++)
        {
            Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(b, market, default));
        }
        Print(logs);
    }

    [Fact]
    public async Task Lying_sequencer_a_batch_that_leaves_a_registered_market_unclaimed_has_the_claim_felled_as_missing_and_re_posted()
    {
        await using var world = await DisputeWorld.StartAsync(DishonestSequencer.Omitting(batchIndex: 1, DomainId.OfMarket(Quiet)));
        var disputed = await DisagreementAtBatchOneAsync(world);
        Assert.Equal((DomainId.OfMarket(Quiet), (DomainClaim?)null), (disputed.Domain, disputed.Posted));
        var l1 = world.Devnet.SequencerClient();
        var logs = new CapturedLogs(LogLevel.Information);
        var (challenger, defender) = world.Players(logs);

        await FellsAtOnceAsync(challenger, l1, 1, DomainId.OfMarket(Quiet));
        Assert.Equal(ClaimStatus.Pending, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Traded), default));
        Assert.Equal(ClaimStatus.Pending, await l1.GetClaimStatusAsync(0, DomainId.OfMarket(Quiet), default));
        Assert.Contains(logs.Entries, e => e.Category == "validator" && e.Message.Contains("owes (the market is registered at its end) and does not make fell (", StringComparison.Ordinal));

        // The sequencer re-posts market 2 from batch 1 (its own claims); the batch now claims it, and the validator goes on.
        await defender.PlayRoundAsync(default);
        var repost = Assert.Single(await l1.GetRepostsAsync(default));
        Assert.Equal((DomainId.OfMarket(Quiet), 1UL, 2), (repost.Domain, repost.FromBatch, repost.Claims.Count));
        Assert.Equal(disputed.Ours, repost.Claims[0]);
        var proof = MissingClaimProof.Of(
            StandingClaims.Of(1, (await l1.GetCommittedBatchAsync(1, default))!.Claims, await l1.GetRepostsAsync(default)), Quiet, null);
        Assert.Equal("the batch claims it", proof.Reason);
        Assert.True(await world.Validator.RecheckFaultAsync(default));
        Assert.Null(world.Validator.Fault);
        Assert.True((await world.Validator.ValidateNextAsync(default))!.Agrees);
        await world.Devnet.Dev.MineAsync(DisputeWorld.DefaultWindow + 1);
        Assert.Equal(ClaimStatus.Final, await l1.GetClaimStatusAsync(1, DomainId.OfMarket(Quiet), default));
        Print(logs);
    }

    [Theory]
    [InlineData("steps", "only its step count differs, its end is ours")]
    [InlineData("extra", "a claim of a market not registered at the batch's end")]
    public async Task A_claim_that_changes_no_state_does_not_stop_the_validator(string how, string why)
    {
        var lie = how == "steps" ? DishonestSequencer.StepsOf(1, DomainId.OfMarket(Traded)) : DishonestSequencer.Adding(1, DomainId.OfMarket(99));
        await using var world = await DisputeWorld.StartAsync(lie);
        var logs = new CapturedLogs(LogLevel.Information);
        var validator = new Validator(world.Devnet.SequencerClient(), new ChainExecutor(world.ValidatorChain, world.ValidatorMarkets), new ValidatorOptions(), logs.CreateLogger("validator"));

        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        var batch1 = (await validator.ValidateNextAsync(default))!;
        Assert.True(batch1.Agrees);
        Assert.Empty(batch1.DisputedClaims);
        Assert.Contains(why, Assert.Single(batch1.Tolerated), StringComparison.Ordinal);
        // Were it to stop here, a fraud in a later batch would go unseen: it checks the next one.
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        Assert.Equal(3UL, validator.NextBatchIndex);
        Assert.Null(validator.Fault);
        var said = Assert.Single(logs.Entries, e => e.Message.Contains("agrees, but", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, said.Level);
    }

    /// <summary>The validator agrees with the batches before <paramref name="batch"/> and disagrees with it about one domain: that disagreement.</summary>
    private static async Task<ClaimDisagreement> DisagreementAtAsync(DisputeWorld world, ulong batch)
    {
        for (var b = 0UL; b < batch; b++)
        {
            Assert.True((await world.Validator.ValidateNextAsync(default))!.Agrees);
        }
        return Assert.Single((await world.Validator.ValidateNextAsync(default))!.DisputedClaims);
    }

    private static Task<ClaimDisagreement> DisagreementAtBatchOneAsync(DisputeWorld world) => DisagreementAtAsync(world, 1);

    /// <summary>One challenger round fells the batch's claim of <paramref name="domain"/> in one transaction, with no game.</summary>
    private static async Task FellsAtOnceAsync(ChallengeRunner challenger, SettlementClient l1, ulong batch, DomainId domain)
    {
        await challenger.PlayRoundAsync(default);
        Assert.Equal(1, challenger.MovesMade);
        Assert.Empty(challenger.Games);
        Assert.Equal(ClaimStatus.Fallen, await l1.GetClaimStatusAsync(batch, domain, default));
    }

    private void Print(CapturedLogs logs)
    {
        foreach (var (level, category, message) in logs.Entries)
        {
            output.WriteLine($"{level} {category}: {message}");
        }
    }
}
