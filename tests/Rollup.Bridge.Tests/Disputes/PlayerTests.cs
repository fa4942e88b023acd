using Microsoft.Extensions.Logging;
using Rollup.Bridge.Disputes;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;
using Xunit.Abstractions;
using Setup = Rollup.Bridge.Tests.Disputes.MarketDisputeTests.Setup;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// The two players on anvil: a <see cref="Challenger"/> and a <see cref="Defender"/>, each from its own trace of a
/// market through the batch of <see cref="MarketDisputeTests"/> (built by <see cref="BatchTraces"/> from the batch's
/// blocks and receipts), driven alternately, each call making the moves due to it. Who wins is the game's and its
/// provers' verdict on L1; the lie follows the true trace up to a routed message's step k and then has another
/// receipts chain.
/// </summary>
public sealed class PlayerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DishonestMarketClaim_ChallengerWithTheTruthBeatsTheLyingDefender_OnlyThatClaimFalls()
    {
        await using var setup = await Setup.StartAsync();
        var (m, other) = (setup.Markets[0], setup.Markets[1]);
        var (truth, lie, k) = TraceAndLie(setup, m);
        await setup.CommitAsync(marketEnds: new Dictionary<uint, Hash256> { [m] = lie.Claim.End });
        var claim = DisputedClaim.Of(0, setup.Claims, DomainId.OfMarket(m));
        using var logs = new CapturedLogs(LogLevel.Information);

        var challenger = new Challenger(setup.Challenger, claim, truth, logs.CreateLogger("challenger"));
        var defender = new Defender(setup.Defender, challenger.GameId, claim, lie, logs.CreateLogger("defender"));
        var (end, challengerMoves, defenderMoves) = await DriveAsync(setup, () => challenger, () => defender);

        Assert.Equal(DisputeGameStatus.ChallengerWon, end.Status);
        Assert.Equal(((ulong)k, (ulong)k + 1), (end.Game.Lo, end.Game.Hi));
        AssertWithinBound(truth.Steps, challengerMoves, defenderMoves);
        Assert.True(await setup.Challenger.IsClaimFallenAsync(0, DomainId.OfMarket(m)));
        Assert.False(await setup.Challenger.IsClaimFallenAsync(0, DomainId.OfMarket(other)));
        Assert.False(await setup.Challenger.IsClaimFallenAsync(0, DomainId.Accounts));
        Assert.Contains(logs.Entries, e => e.Category == "challenger" && e.Message.Contains($"step {k} proven", StringComparison.Ordinal));
        Print(logs, $"market {m}: {truth.Steps} steps, lie from step {k}: challenger {challengerMoves} moves, defender {defenderMoves}");
    }

    [Fact]
    public async Task HonestMarketClaim_DefenderWithTheTruthBeatsTheLyingChallenger_ClaimStands()
    {
        await using var setup = await Setup.StartAsync();
        var m = setup.Markets[1];
        var (truth, lie, k) = TraceAndLie(setup, m);
        await setup.CommitAsync();
        var claim = DisputedClaim.Of(0, setup.Claims, DomainId.OfMarket(m));
        using var logs = new CapturedLogs(LogLevel.Information);

        var challenger = new Challenger(setup.Challenger, claim, lie, logs.CreateLogger("challenger"));
        var defender = new Defender(setup.Defender, challenger.GameId, claim, truth, logs.CreateLogger("defender"));
        var (end, challengerMoves, defenderMoves) = await DriveAsync(setup, () => challenger, () => defender);

        Assert.Equal(DisputeGameStatus.DefenderWon, end.Status);
        Assert.Equal((ulong)k, end.Game.Lo);
        AssertWithinBound(truth.Steps, challengerMoves, defenderMoves);
        Assert.False(await setup.Defender.IsClaimFallenAsync(0, DomainId.OfMarket(m)));
        var config = MarketDisputeTests.Config;
        Assert.Equal(config.DefenderBond + config.ChallengerBond - config.Burnt(config.ChallengerBond), await setup.Defender.GetCreditAsync(Setup.Sequencer.Address));
        // The lying challenger saw that its own step k does not reach its hash, and left the proof to the defender.
        Assert.Contains(logs.Entries, e => e.Category == "challenger" && e.Message.Contains("not proving it", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Category == "defender" && e.Message.Contains($"step {k} proven", StringComparison.Ordinal));
        Print(logs, $"market {m}: {truth.Steps} steps, challenger's lie from step {k}: challenger {challengerMoves} moves, defender {defenderMoves}");
    }

    [Fact]
    public async Task PlayersRestartedMidGame_ResumeFromL1AndTheirTraces_ChallengerWins()
    {
        await using var setup = await Setup.StartAsync();
        var m = setup.Markets[0];
        var (truth, lie, k) = TraceAndLie(setup, m);
        await setup.CommitAsync(marketEnds: new Dictionary<uint, Hash256> { [m] = lie.Claim.End });
        var claim = DisputedClaim.Of(0, setup.Claims, DomainId.OfMarket(m));
        using var logs = new CapturedLogs(LogLevel.Information);
        var log = logs.CreateLogger("challenger");

        var first = new Challenger(setup.Challenger, claim, truth, log);
        var defender = new Defender(setup.Defender, first.GameId, claim, lie, logs.CreateLogger("defender"));
        // Two rounds with the first challenger: the challenge and two answers.
        var moves = 0;
        for (var round = 0; round < 2; round++)
        {
            moves += (await first.PlayAsync()).Moves;
            moves += (await defender.PlayAsync()).Moves;
        }
        var midGame = await setup.Challenger.GetGameAsync(first.GameId);
        Assert.Equal((DisputeGameStatus.Open, DisputeSide.Challenger), (midGame.Status, midGame.ToMove));
        Assert.True(midGame.Hi - midGame.Lo > 1, $"the game is at {midGame.Lo}..{midGame.Hi}");

        // Both are gone; new ones from the same traces and keys find the game on L1 and carry on (the new defender
        // sends no second bond: a bisection with one would be refused, WrongBond).
        var second = new Challenger(setup.Challenger, claim, truth, log);
        Assert.Equal(first.GameId, second.GameId);
        var secondDefender = new Defender(setup.Defender, first.GameId, claim, lie, logs.CreateLogger("defender"));
        var (end, challengerMoves, defenderMoves) = await DriveAsync(setup, () => second, () => secondDefender);

        Assert.Equal(DisputeGameStatus.ChallengerWon, end.Status);
        Assert.Equal((ulong)k, end.Game.Lo);
        Assert.Single(logs.Entries, e => e.Message.Contains("challenged in game", StringComparison.Ordinal));
        Assert.True(await setup.Challenger.IsClaimFallenAsync(0, DomainId.OfMarket(m)));
        Print(logs, $"market {m}: restarted at {midGame.Lo}..{midGame.Hi} after {moves} moves; then challenger {challengerMoves}, defender {defenderMoves}");
    }

    [Fact]
    public async Task ChallengerStopsAnswering_DefenderTimesItOutOnceItsClockRunsOut_ClaimStands()
    {
        await using var setup = await Setup.StartAsync();
        var m = setup.Markets[0];
        var (truth, lie, _) = TraceAndLie(setup, m);
        await setup.CommitAsync(marketEnds: new Dictionary<uint, Hash256> { [m] = lie.Claim.End });
        var claim = DisputedClaim.Of(0, setup.Claims, DomainId.OfMarket(m));
        using var logs = new CapturedLogs(LogLevel.Information);

        var challenger = new Challenger(setup.Challenger, claim, truth, logs.CreateLogger("challenger"));
        var defender = new Defender(setup.Defender, challenger.GameId, claim, lie, logs.CreateLogger("defender"));
        Assert.Equal(1, (await challenger.PlayAsync()).Moves);
        Assert.Equal(1, (await defender.PlayAsync()).Moves);
        // The challenger answers no more. Until its clock is out the defender has nothing to do.
        var waiting = await defender.PlayAsync();
        Assert.Equal((0, DisputeGameStatus.Open, DisputeSide.Challenger), (waiting.Moves, waiting.Status, waiting.Game.ToMove));
        var (_, left) = await setup.Defender.GetClocksAsync(challenger.GameId);
        Assert.True(left > 1, $"{left} blocks left");
        await setup.Dev.MineAsync(left - 1);
        Assert.Equal(0, (await defender.PlayAsync()).Moves);
        await setup.Dev.MineAsync(1);

        var end = await defender.PlayAsync();
        Assert.Equal((1, DisputeGameStatus.DefenderWon), (end.Moves, end.Status));
        Assert.False(await setup.Defender.IsClaimFallenAsync(0, DomainId.OfMarket(m)));
        // A challenger coming back now finds the game over and makes no move.
        var late = await challenger.PlayAsync();
        Assert.Equal((0, DisputeGameStatus.DefenderWon), (late.Moves, late.Status));
        Print(logs, $"market {m}: the challenger's clock ran out after {left} blocks");
    }

    [Fact]
    public async Task HonestAccountsClaim_DefenderProvesAReplyStepWithTheMarketsOutboxClaimsItFindsInTheBatch()
    {
        await using var setup = await Setup.StartAsync();
        var traces = TracesOf(setup);
        var truth = traces[DomainId.Accounts];
        var k = setup.AccountsTrace.Steps.First(s => s.Kind == AccountsStepKind.Reply && s.Outcome.Credit > 0).Index;
        var hashes = Enumerable.Range(0, (int)truth.Steps + 1).Select(i => truth.HashAt((ulong)i)).ToList();
        var lie = new DomainTrace(DomainId.Accounts, hashes.Select((h, i) => i <= k ? h : Keccak256.Compute([.. h.ToArray(), .. "a lie"u8])).ToList(), truth.ProofOf);
        await setup.CommitAsync();
        var claim = DisputedClaim.Of(0, setup.Claims, DomainId.Accounts);
        using var logs = new CapturedLogs(LogLevel.Information);

        var challenger = new Challenger(setup.Challenger, claim, lie, logs.CreateLogger("challenger"));
        var defender = new Defender(setup.Defender, challenger.GameId, claim, truth, logs.CreateLogger("defender"));
        var watch = new GameWatch(setup.L1, setup.Defender, 0, logs.CreateLogger("watch"));
        var (end, challengerMoves, defenderMoves) = await DriveAsync(setup, () => challenger, () => defender, watch);

        // The step is a Reply: the prover refuses it without the markets' claims (NoMarketOutbox), so the defender's win is the proof's.
        Assert.Equal((DisputeGameStatus.DefenderWon, (ulong)k), (end.Status, end.Game.Lo));
        // It reads its market's claim, Pending until the window passed: the defender stopped its clock until that claim
        // was Final (the watch said so), the challenger started it again, and the defender proved the step.
        Assert.Contains(logs.Entries, e => e.Category == "defender" && e.Message.Contains($"step {k} reads market ", StringComparison.Ordinal) && e.Message.Contains("'s claim, Pending: our clock stopped", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Category == "watch" && e.Message.Contains("the defender's clock is stopped until market ", StringComparison.Ordinal) && e.Message.Contains("'s claim of batch 0", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Category == "challenger" && e.Message.Contains("the defender's clock resumed", StringComparison.Ordinal));
        AssertWithinBound(truth.Steps, challengerMoves, defenderMoves);
        Assert.False(await setup.Defender.IsClaimFallenAsync(0, DomainId.Accounts));
        Print(logs, $"accounts: {truth.Steps} steps, challenger's lie from Reply step {k}: challenger {challengerMoves} moves, defender {defenderMoves}");
    }

    /// <summary>
    /// Calls the challenger and then the defender until the game ends, counting each side's moves. The first round in
    /// which neither moves mines past the batch's window (a step reading another claim waits for it to be Final); a
    /// second fails the test (neither would ever move again without more blocks mined).
    /// </summary>
    private static async Task<(PlayerProgress End, int ChallengerMoves, int DefenderMoves)> DriveAsync(
        MarketDisputeTests.Setup setup, Func<Challenger> challenger, Func<Defender> defender, GameWatch? watch = null)
    {
        var (c, d) = (0, 0);
        var mined = false;
        for (var round = 0; round < 64; round++)
        {
            var played = await challenger().PlayAsync();
            c += played.Moves;
            if (played.Ended)
            {
                return (played, c, d);
            }
            var answered = await defender().PlayAsync();
            d += answered.Moves;
            if (answered.Ended)
            {
                return (answered, c, d);
            }
            if (played.Moves + answered.Moves == 0 && !mined)
            {
                if (watch is not null)
                {
                    await watch.RefreshAsync(default);
                }
                await setup.MinePastTheWindowAsync();
                mined = true;
                continue;
            }
            Assert.True(played.Moves + answered.Moves > 0, $"round {round}: neither side moved at {answered.Game.Lo}..{answered.Game.Hi}");
        }
        throw new InvalidOperationException("the game did not end in 64 rounds");
    }

    /// <summary>⌈log2 steps⌉ rounds of bisection, plus the challenge, the proof and the timeout a side may add.</summary>
    private static void AssertWithinBound(ulong steps, int challengerMoves, int defenderMoves)
    {
        var bound = (int)Math.Ceiling(Math.Log2(steps)) + 3;
        Assert.True(challengerMoves <= bound && defenderMoves <= bound, $"{challengerMoves} and {defenderMoves} moves for {steps} steps (bound {bound})");
    }

    /// <summary>
    /// The market's true trace built from the batch's blocks and receipts, and a consistent lie with the same proofs:
    /// its hashes the truth's up to a routed message's step k (past the middle), then each with another receipts chain.
    /// </summary>
    private static (DomainTrace Truth, DomainTrace Lie, int K) TraceAndLie(Setup setup, uint market)
    {
        var batch = setup.Batch;
        var traces = TracesOf(setup);
        var truth = traces[DomainId.OfMarket(market)];
        var marketTrace = setup.MarketTraces[market];
        // The players' trace is the engine's chain's: the same claim and the same state at every step.
        Assert.Equal(new DomainClaim(marketTrace.Start.Hash(), marketTrace.End.Hash(), (ulong)marketTrace.Steps.Count), truth.Claim);
        Assert.Equal(batch.Trace.End.Hash(), traces[DomainId.Accounts].Claim.End);
        var n = marketTrace.Steps.Count;
        var k = marketTrace.Steps.First(s => s.Index >= n / 2 && s.Kind == MarketStepKind.Message).Index;
        var lie = new DomainTrace(truth.Domain, Setup.LieFrom(marketTrace, k), truth.ProofOf);
        return (truth, lie, k);
    }

    /// <summary>Every domain's trace of the batch, from its blocks and receipts and the state before it (no market existed then).</summary>
    internal static IReadOnlyDictionary<DomainId, DomainTrace> TracesOf(Setup setup)
    {
        var (batch, engine) = (setup.Batch, setup.Chain.Engine);
        return BatchTraces.Of(setup.AccountsStart, engine.Domain, engine.Options.Operators, new Dictionary<uint, MarketDomainTrees>(), setup.Markets,
            batch.Trace.Start.FirstSequence, batch.Blocks, batch.Results.Select(r => (IReadOnlyList<Execution.Blocks.Receipt>)r.Receipts).ToList());
    }

    private void Print(CapturedLogs logs, string summary)
    {
        foreach (var (level, category, message) in logs.Entries)
        {
            output.WriteLine($"{level} {category}: {message}");
        }
        output.WriteLine(summary);
    }
}
