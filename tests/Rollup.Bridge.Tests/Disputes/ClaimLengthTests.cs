using Microsoft.Extensions.Logging;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.Validation;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;
using Xunit.Abstractions;
using Setup = Rollup.Bridge.Tests.Disputes.MarketDisputeTests.Setup;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// Claims whose step count is not the trace's (docs/disputes.md, "A claim cut short" and "A claim too long"), on anvil
/// with the real provers, played by the validator's <see cref="ChallengeRunner"/> from its true traces of the batch of
/// <see cref="MarketDisputeTests"/>: a claim cut short falls by a proof of the step that follows its end; a claim too
/// long is bisected with the challenger's trace held at its end, and its defender, who can prove no step past it,
/// loses on its clock.
/// </summary>
public sealed class ClaimLengthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ClaimCutShort_EndingInTheTrueStateAfterItsSteps_FallsByTheStepThatFollows()
    {
        await using var setup = await Setup.StartAsync();
        var (m, other) = (setup.Markets[0], setup.Markets[1]);
        var traces = PlayerTests.TracesOf(setup);
        var truth = traces[DomainId.OfMarket(m)];
        var k = truth.Steps / 2;
        await setup.CommitAsync(
            marketEnds: new Dictionary<uint, Hash256> { [m] = truth.HashAt(k) },
            marketSteps: new Dictionary<uint, ulong> { [m] = k });
        using var logs = new CapturedLogs(LogLevel.Information);
        var runner = Runner(setup, traces, m, truth.Claim, logs);

        await runner.PlayRoundAsync(default);

        Assert.True(await setup.Challenger.IsClaimFallenAsync(0, DomainId.OfMarket(m)), "the claim cut short fell");
        Assert.False(await setup.Challenger.IsClaimFallenAsync(0, DomainId.OfMarket(other)), "the other market's stands");
        Assert.False(await setup.Challenger.IsClaimFallenAsync(0, DomainId.Accounts), "the accounts claim stands");
        Assert.Empty(runner.Games);
        Assert.Equal(1, runner.MovesMade);
        Assert.Contains(logs.Entries, e => e.Message.Contains($"cut short at {k} of our {truth.Steps} steps fell", StringComparison.Ordinal));
        // Fallen: the next round sends nothing.
        await runner.PlayRoundAsync(default);
        Assert.Equal(1, runner.MovesMade);
        Print(logs);
    }

    [Fact]
    public async Task ClaimTooLong_DefenderCannotProveAStepPastTheTrueEnd_LosesOnItsClock()
    {
        await using var setup = await Setup.StartAsync();
        var m = setup.Markets[0];
        var traces = PlayerTests.TracesOf(setup);
        var truth = traces[DomainId.OfMarket(m)];
        var posted = truth.Steps + 5;
        await setup.CommitAsync(
            marketEnds: new Dictionary<uint, Hash256> { [m] = Keccak256.Compute("a state five steps past the batch's end"u8) },
            marketSteps: new Dictionary<uint, ulong> { [m] = posted });
        using var logs = new CapturedLogs(LogLevel.Information);
        var runner = Runner(setup, traces, m, truth.Claim, logs);
        var claim = DisputedClaim.Of(0, setup.Claims, DomainId.OfMarket(m));
        // The defender bisects with the true hashes as far as they go, then made-up ones to its posted end.
        var postedEnd = setup.MarketClaims[m].End;
        var lie = new DomainTrace(truth.Domain, [.. Enumerable.Range(0, (int)posted + 1).Select(i => (ulong)i switch
        {
            var j when j <= truth.Steps => truth.HashAt(j),
            var j when j == posted => postedEnd,
            var j => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes($"past the end {j}")),
        })], truth.ProofOf);

        await runner.PlayRoundAsync(default); // the challenge
        var gameId = Assert.Single(runner.Games).GameId;
        var defender = new Defender(setup.Defender, gameId, claim, lie, logs.CreateLogger("defender"));
        for (var round = 0; round < 64; round++)
        {
            var d = await defender.PlayAsync();
            await runner.PlayRoundAsync(default);
            var game = await setup.Challenger.GetGameAsync(gameId);
            if (game.Status != DisputeGameStatus.Open || (game.Hi - game.Lo == 1 && game.ToMove == DisputeSide.Defender))
            {
                break;
            }
            Assert.True(d.Moves > 0 || game.ToMove == DisputeSide.Defender, "the game moves");
        }
        var atOneStep = await setup.Challenger.GetGameAsync(gameId);
        Assert.Equal(DisputeGameStatus.Open, atOneStep.Status);
        Assert.Equal(1UL, atOneStep.Hi - atOneStep.Lo);
        Assert.True(atOneStep.Lo >= truth.Steps, $"the disputed step {atOneStep.Lo} is past the true end at {truth.Steps}");
        Assert.Equal(truth.Claim.End, atOneStep.Agreed);
        Assert.Contains(logs.Entries, e => e.Message.Contains("past our trace's end", StringComparison.Ordinal));

        var (left, _) = await setup.Challenger.GetClocksAsync(gameId);
        await setup.Dev.MineAsync(left);
        await runner.PlayRoundAsync(default);

        var end = await setup.Challenger.GetGameAsync(gameId);
        Assert.Equal(DisputeGameStatus.ChallengerWon, end.Status);
        Assert.True(await setup.Challenger.IsClaimFallenAsync(0, DomainId.OfMarket(m)));
        Print(logs);
    }

    private static ChallengeRunner Runner(Setup setup, IReadOnlyDictionary<DomainId, DomainTrace> traces, uint market, DomainClaim ours, CapturedLogs logs)
    {
        var posted = setup.MarketClaims[market];
        var report = new ValidationReport(0, setup.Batch.Blocks[0].Number, setup.Batch.Blocks[^1].Number, [$"market {market}'s claim differs"], [])
        {
            DisputedClaims = [new ClaimDisagreement(DomainId.OfMarket(market), posted, ours)],
        };
        return new ChallengeRunner(setup.Challenger, setup.Settlement, new Traces(traces), () => report, logs.CreateLogger("challenger"));
    }

    private sealed class Traces(IReadOnlyDictionary<DomainId, DomainTrace> traces) : IBatchTraceSource
    {
        public IReadOnlyDictionary<DomainId, DomainTrace> TracesOf(CommittedBatch batch) => traces;
    }

    private void Print(CapturedLogs logs)
    {
        foreach (var (level, category, message) in logs.Entries)
        {
            output.WriteLine($"{level} {category}: {message}");
        }
    }
}
