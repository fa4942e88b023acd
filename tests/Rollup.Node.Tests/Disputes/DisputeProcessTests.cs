using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Rollup.Api;
using Rollup.Bridge.Disputes;
using Rollup.Execution.Steps;
using Rollup.Execution.Transactions;
using Rollup.Node.Tests.Bridge;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;
using Xunit.Abstractions;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests.Disputes;

/// <summary>
/// The dispute roles in node processes killed with SIGKILL in the middle of a game: each restarts, finds its game on
/// L1, rebuilds its trace from its own store and provable engine, and plays it to the same end.
/// </summary>
public class DisputeProcessTests(ITestOutputHelper output)
{
    private static readonly DomainId Traded = DomainId.OfMarket(DisputeWorld.Traded);

    [Fact]
    public async Task A_validator_node_killed_mid_game_restarts_and_fells_the_lying_claim_without_a_second_challenge()
    {
        var lie = new DishonestSequencer(batchIndex: 1, Traded, steps => steps / 2);
        await using var world = await DisputeWorld.StartAsync(lie);
        using var data = new TempDirectory("rollup-dispute-validator-node");
        var settings = ValidatorSettings(world);
        var logs = new CapturedLogs(LogLevel.Information);
        var (_, defender) = world.Players(logs);
        var gameId = DisputeGameClient.GameIdOf(1, Traded, DisputeWorld.ChallengerKey.Address);

        var validator = await NodeProcess.StartAsync(data.Path, settings, command: "validator", untilServing: false);
        try
        {
            // The node disagrees with batch 1, challenges, and answers the sequencer's first bisection; then it dies.
            var game = await UntilAsync(world, gameId, g => g.Status == DisputeGameStatus.Open, "the validator node challenged", validator);
            await defender.PlayRoundAsync(default);
            var bisected = await world.Game.GetGameAsync(gameId);
            game = await UntilAsync(world, gameId, g => g.ToMove == DisputeSide.Defender && g != bisected, "the validator node answered the first bisection", validator);
            await UntilOutputAsync(validator, $"challenged in game {gameId}");
            await validator.KillAsync();

            // The sequencer bisects again while it is down; the node restarted answers from its trace rebuilt from its store.
            await defender.PlayRoundAsync(default);
            validator.Dispose();
            validator = await NodeProcess.StartAsync(data.Path, settings, command: "validator", untilServing: false);
            while ((game = await world.Game.GetGameAsync(gameId)).Status == DisputeGameStatus.Open)
            {
                if (game.ToMove == DisputeSide.Defender && game.Hi - game.Lo > 1)
                {
                    await defender.PlayRoundAsync(default);
                }
                var before = game;
                await UntilAsync(world, gameId, g => g != before, "the restarted validator node moved", validator);
            }
            Assert.Equal(DisputeGameStatus.ChallengerWon, game.Status);
            Assert.True(await world.Game.IsClaimFallenAsync(1, Traded));
            Assert.False(await world.Game.IsClaimFallenAsync(1, DomainId.OfMarket(DisputeWorld.Quiet)));
            // It withdraws what it won: its credit goes to zero.
            var deadline = Stopwatch.StartNew();
            while (await world.Game.GetCreditAsync(DisputeWorld.ChallengerKey.Address) != 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the validator node did not withdraw its credit:\n" + validator.Output);
                await Task.Delay(100); // polling L1 for another process's transaction
            }
            await UntilOutputAsync(validator, "withdrew its credit");
            var secondRun = validator.Output;
            Assert.DoesNotContain("challenged in game", secondRun, StringComparison.Ordinal);
            Assert.Contains($"game {gameId} step {game.Lo} proven", secondRun, StringComparison.Ordinal);
            output.WriteLine(secondRun);
        }
        finally
        {
            validator.Dispose();
        }
    }

    [Fact]
    public async Task A_sequencer_node_killed_mid_game_restarts_and_defends_its_claim_against_a_lying_challenger()
    {
        await using var devnet = await L1Devnet.StartAsync(new Rollup.Bridge.Settlement.SettlementConfig { ChallengeWindowBlocks = DisputeWorld.DefaultWindow });
        var (game, deployment) = await DisputeDeployer.DeployAsync(
            devnet.Rpc, devnet.Sender(L1Devnet.OperatorKey), devnet.Anvil.ChainId, devnet.Deployment.Settlement, [L1Devnet.OperatorKey.Address], DisputeWorld.Config, default);
        using var data = new TempDirectory("rollup-dispute-sequencer-node");
        var settings = BridgeLoad.NodeSettings(devnet, devnet.Anvil.Endpoint);
        settings["ROLLUP__NODE__DISPUTEGAME"] = game.Address.ToString();
        settings["ROLLUP__NODE__L1FROMBLOCK"] = deployment.DeploymentBlock.ToString(CultureInfo.InvariantCulture);
        var sequencer = await NodeProcess.StartAsync(data.Path, settings);
        try
        {
            // A market and a run of prices: steps of market 1 in a committed batch.
            using (var channel = GrpcChannel.ForAddress(sequencer.Address))
            {
                var submission = new P.Submission.SubmissionClient(channel);
                await SubmitAsync(devnet, submission, new Transaction { Kind = TxKind.CreateMarket, Market = 1, Params = SampleMarkets.Perpetual("BTC-PERP", L1Devnet.OracleKey.Address, tickSize: 100, fundingIntervalBlocks: 1000) }, L1Devnet.OperatorKey, 0);
                var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                for (var i = 0UL; i < 12; i++)
                {
                    await SubmitAsync(devnet, submission, new Transaction { Kind = TxKind.OracleUpdate, Market = 1, Price = 60_000_000_000 + (i * 1_000_000), Timestamp = now + i }, L1Devnet.OracleKey, i);
                }
            }
            var l1 = devnet.SequencerClient();
            var batch = await UntilBatchAsync(l1, b => b.Claims.Any(c => c.Domain == DomainId.OfMarket(1) && c.Claim.Steps >= 4), sequencer);
            var claim = DisputedClaim.Of(batch.Commitment.BatchIndex, batch.Claims, DomainId.OfMarket(1));
            var madeUp = new List<Hash256> { claim.Posted.Start };
            for (var i = 1UL; i <= claim.Posted.Steps; i++)
            {
                madeUp.Add(Keccak256.Compute(BitConverter.GetBytes(i)));
            }
            var liar = new Challenger(
                game.As(devnet.Sender(DisputeWorld.ChallengerKey)), claim, new DomainTrace(claim.Domain, madeUp, (_, _) => new StepProof(default, default, [])),
                Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

            // The challenge, the node's first bisection, the answer; then the node dies with its turn to move.
            var progress = await liar.PlayAsync();
            var id = progress.GameId;
            var first = await UntilGameAsync(game, id, g => g.ToMove == DisputeSide.Challenger, "the sequencer node bisected", sequencer);
            progress = await liar.PlayAsync();
            Assert.Equal(DisputeSide.Defender, progress.Game.ToMove);
            await UntilOutputAsync(sequencer, $"bisected at step {first.MidStep}");
            await sequencer.KillAsync();
            sequencer.Dispose();

            sequencer = await NodeProcess.StartAsync(data.Path, settings);
            while (!progress.Ended)
            {
                var before = progress.Game;
                await UntilGameAsync(game, id, g => g != before, "the restarted sequencer node moved", sequencer);
                progress = await liar.PlayAsync();
            }
            Assert.Equal(DisputeGameStatus.DefenderWon, progress.Status);
            Assert.False(await game.IsClaimFallenAsync(claim.BatchIndex, claim.Domain));
            await UntilOutputAsync(sequencer, $"defender: game {id} step 0 proven");
            output.WriteLine(sequencer.Output);
        }
        finally
        {
            sequencer.Dispose();
        }
    }

    /// <summary>Waits for a line another process wrote to reach its captured output (the pipe is read as it comes).</summary>
    private static async Task UntilOutputAsync(NodeProcess node, string text)
    {
        var deadline = Stopwatch.StartNew();
        while (!node.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"'{text}' not in the node's output:\n{node.Output}");
            await Task.Delay(50); // reading another process's output as it comes
        }
    }

    private static Dictionary<string, string> ValidatorSettings(DisputeWorld world)
    {
        var settings = BridgeLoad.NodeSettings(world.Devnet, world.Devnet.Anvil.Endpoint);
        settings["ROLLUP__NODE__VALIDATORCONFIRMATIONS"] = "0";
        settings["ROLLUP__NODE__DISPUTEGAME"] = world.Game.Address.ToString();
        settings["ROLLUP__NODE__CHALLENGERKEY"] = DisputeWorld.ChallengerKey.ToHexUnsafe();
        return settings;
    }

    private static async Task SubmitAsync(L1Devnet devnet, P.Submission.SubmissionClient submission, Transaction tx, Rollup.Primitives.Signatures.PrivateKey key, ulong nonce)
    {
        var signed = TransactionSigning.Sign(tx with { Account = key.Address, Nonce = nonce }, key, devnet.Domain);
        await submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(signed) });
    }

    private static async Task<Rollup.Bridge.Validation.CommittedBatch> UntilBatchAsync(
        Rollup.Bridge.Settlement.SettlementClient l1, Func<Rollup.Bridge.Validation.CommittedBatch, bool> wanted, NodeProcess node)
    {
        var deadline = Stopwatch.StartNew();
        var next = 0UL;
        while (true)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "no such batch on L1:\n" + node.Output);
            if (await l1.GetCommittedBatchAsync(next, default) is { } batch)
            {
                if (wanted(batch))
                {
                    return batch;
                }
                next++;
                continue;
            }
            await Task.Delay(100); // polling L1 for another process's commitment
        }
    }

    private static Task<DisputeGameState> UntilAsync(DisputeWorld world, Hash256 gameId, Func<DisputeGameState, bool> condition, string what, NodeProcess node) =>
        UntilGameAsync(world.Game, gameId, condition, what, node);

    private static async Task<DisputeGameState> UntilGameAsync(DisputeGameClient game, Hash256 gameId, Func<DisputeGameState, bool> condition, string what, NodeProcess node)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var state = await game.GetGameAsync(gameId);
            if (condition(state))
            {
                return state;
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"not within 60 s: {what} (game at {state.Lo}..{state.Hi}, {state.Status}, {state.ToMove} to move):\n{node.Output}");
            await Task.Delay(100); // polling L1 for another process's move
        }
    }
}
