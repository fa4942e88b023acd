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
    private const ulong Usdc = 1_000_000;
    private const uint Traded = 1;
    private const uint Quiet = 2;
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    private static readonly DisputeGameConfig Config = new(Ether, Ether, ClockBlocks: 40, BurnPpm: 250_000);
    private static readonly PrivateKey ChallengerKey = AnvilProcess.DevKey(5);

    [Fact]
    public async Task Lying_sequencer_its_market_claim_is_felled_by_the_validators_challenge_through_a_restart_and_the_other_claims_stand()
    {
        var lie = new DishonestSequencer(batchIndex: 1, DomainId.OfMarket(Traded), steps => steps / 2);
        await using var world = await World.StartAsync(lie);
        Assert.True((await world.Validator.ValidateNextAsync(default))!.Agrees);
        var disputed = Assert.Single((await world.Validator.ValidateNextAsync(default))!.DisputedClaims);
        Assert.Equal((DomainId.OfMarket(Traded), DishonestSequencer.Lie(disputed.Ours!.Value.End)), (disputed.Domain, disputed.Posted!.Value.End));

        var logs = new CapturedLogs(LogLevel.Information);
        var before = await world.BalanceOfAsync(ChallengerKey.Address);
        var (challenger, defender) = world.Players(logs);
        var (c, d) = await PlayAsync(challenger, defender, rounds: 3);
        // Both nodes restart mid-game: the validator disagrees with the batch again, the players are made anew and carry on from L1.
        var validator = world.NewValidator();
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        Assert.Equal(disputed, Assert.Single((await validator.ValidateNextAsync(default))!.DisputedClaims));
        (challenger, defender) = world.Players(logs, () => validator.Fault);
        var (c2, d2) = await PlayAsync(challenger, defender, rounds: 40);
        Print(logs);

        var game = Assert.Single(challenger.Games);
        Assert.Equal(DisputeGameStatus.ChallengerWon, game.Status);
        var steps = disputed.Posted!.Value.Steps;
        AssertWithinBound(steps, c + c2, d + d2);
        Assert.True(await world.Game.IsClaimFallenAsync(1, DomainId.OfMarket(Traded)));
        Assert.False(await world.Game.IsClaimFallenAsync(1, DomainId.OfMarket(Quiet)));
        Assert.False(await world.Game.IsClaimFallenAsync(1, DomainId.Accounts));
        Assert.False(await world.Game.IsClaimFallenAsync(0, DomainId.OfMarket(Traded)));
        // The challenger got its bond back and the defender's less the burn, and withdrew it.
        Assert.Equal(BigInteger.Zero, await world.Game.GetCreditAsync(ChallengerKey.Address));
        var gained = await world.BalanceOfAsync(ChallengerKey.Address) - before;
        Assert.InRange(gained, Config.DefenderBond - Config.Burnt(Config.DefenderBond) - (Ether / 100), Config.DefenderBond - Config.Burnt(Config.DefenderBond));
        // The sequencer's watch saw the game end, and the validator proved the step the lie starts after.
        Assert.Contains(logs.Entries, e => e.Category == "sequencer watch" && e.Message.Contains("ended: ChallengerWon", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Category == "validator" && e.Message.Contains($"step {steps / 2} proven", StringComparison.Ordinal));
        output.WriteLine($"market {Traded}: {steps} steps, challenger {c + c2} moves, defender {d + d2} moves, the challenger gained {gained} wei");
    }

    [Fact]
    public async Task Honest_sequencer_defends_its_claim_and_takes_the_bond_of_a_challenger_that_lies()
    {
        await using var world = await World.StartAsync(lie: null);
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
        AssertWithinBound(truth.Steps, c, (int)d);
        Assert.False(await world.Game.IsClaimFallenAsync(1, DomainId.OfMarket(Traded)));
        Assert.Equal(BigInteger.Zero, await world.Game.GetCreditAsync(L1Devnet.SequencerKey.Address));
        var gained = await world.BalanceOfAsync(L1Devnet.SequencerKey.Address) - sequencerBefore;
        Assert.InRange(gained, Config.ChallengerBond - Config.Burnt(Config.ChallengerBond) - (Ether / 100), Config.ChallengerBond - Config.Burnt(Config.ChallengerBond));
    }

    /// <summary>Rounds of the challenger then the defender until the challenger's games end; the moves each made.</summary>
    private static async Task<(int Challenger, int Defender)> PlayAsync(ChallengeRunner challenger, DefenseRunner defender, int rounds)
    {
        var (c, d) = (challenger.MovesMade, defender.MovesMade);
        for (var round = 0; round < rounds; round++)
        {
            await challenger.PlayRoundAsync(default);
            await defender.PlayRoundAsync(default);
            if (challenger.Games.Count > 0 && challenger.Games.All(g => g.Ended))
            {
                break;
            }
        }
        return ((int)(challenger.MovesMade - c), (int)(defender.MovesMade - d));
    }

    /// <summary>⌈log2 steps⌉ rounds of bisection, plus the challenge, the proof and the timeout a side may add.</summary>
    private static void AssertWithinBound(ulong steps, int challengerMoves, int defenderMoves)
    {
        var bound = (int)Math.Ceiling(Math.Log2(steps)) + 3;
        Assert.True(challengerMoves <= bound && defenderMoves <= bound, $"{challengerMoves} and {defenderMoves} moves for {steps} steps (bound {bound})");
        Assert.True(challengerMoves > 1 && defenderMoves > 0, $"{challengerMoves} and {defenderMoves} moves: the game was not played");
    }

    private void Print(CapturedLogs logs)
    {
        foreach (var (level, category, message) in logs.Entries)
        {
            output.WriteLine($"{level} {category}: {message}");
        }
    }

    /// <summary>A sequencer that posted three batches (one lying, with <c>lie</c>), a validator beside it, and the dispute game.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly List<IDisposable> _owned = [];

        private World(L1Devnet devnet)
        {
            Devnet = devnet;
        }

        public L1Devnet Devnet { get; }

        public DisputeGameClient Game { get; private set; } = null!;

        public DisputeDeployment Deployment { get; private set; } = null!;

        public StoredBatchTraces SequencerTraces { get; private set; } = null!;

        private IBatchTraceSource DefenderTraces { get; set; } = null!;

        public ExecutedChain ValidatorChain { get; private set; } = null!;

        public ProvableMarkets ValidatorMarkets { get; private set; } = null!;

        public Validator Validator { get; private set; } = null!;

        public static async Task<World> StartAsync(DishonestSequencer? lie)
        {
            var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = 1_000, TimelockDelayBlocks = 1 });
            var world = new World(devnet);
            var (game, deployment) = await DisputeDeployer.DeployAsync(
                devnet.Rpc, devnet.Sender(L1Devnet.OperatorKey), devnet.Anvil.ChainId, devnet.Deployment.Settlement, [L1Devnet.OperatorKey.Address], Config, default);
            (world.Game, world.Deployment) = (game, deployment);

            var sequencer = devnet.StartSequencer();
            var posterDirectory = world.Own(new TempDirectory("rollup-dispute-provable"));
            var posterMarkets = world.Own(new ProvableMarkets(posterDirectory.Path, sequencer.Read(e => e.Options), n => sequencer.ReadStored(e => e.GetBlock(n))));
            world.SequencerTraces = new StoredBatchTraces(n => sequencer.ReadStored(e => e.GetBlock(n)), posterMarkets, sequencer.Read(e => e.Options));
            world.DefenderTraces = lie?.Traces(world.SequencerTraces) ?? world.SequencerTraces;
            IBatchSink sink = devnet.SequencerClient();
            var poster = new BatchPoster(lie?.Sink(sink) ?? sink, new ChainBlockSource(sequencer, posterMarkets), new BatchPosterOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            await Flow(devnet, sequencer, poster);

            var validatorDirectory = world.Own(new TempDirectory("rollup-dispute-validator"));
            world.ValidatorChain = world.Own(new ExecutedChain(ExecutionEngine.Open(validatorDirectory.Path, devnet.EngineOptions(verifySignatures: true))));
            var validatorProvable = world.Own(new TempDirectory("rollup-dispute-validator-provable"));
            world.ValidatorMarkets = world.Own(new ProvableMarkets(validatorProvable.Path, world.ValidatorChain.Read(e => e.Options), n => world.ValidatorChain.ReadStored(e => e.GetBlock(n))));
            world.Validator = world.NewValidator();
            return world;
        }

        public Validator NewValidator() =>
            new(Devnet.SequencerClient(), new ChainExecutor(ValidatorChain, ValidatorMarkets), new ValidatorOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        /// <summary>The validator's challenger and the sequencer's defender, each made as its node makes it.</summary>
        public (ChallengeRunner Challenger, DefenseRunner Defender) Players(CapturedLogs logs, Func<ValidationReport?>? disagreement = null)
        {
            var validatorTraces = new StoredBatchTraces(n => ValidatorChain.ReadStored(e => e.GetBlock(n)), ValidatorMarkets, ValidatorChain.Read(e => e.Options));
            var challenger = new ChallengeRunner(Game.As(Devnet.Sender(ChallengerKey)), Devnet.SequencerClient(), validatorTraces, disagreement ?? (() => Validator.Fault), logs.CreateLogger("validator"));
            var sequencerGame = Game.As(Devnet.Sender(L1Devnet.SequencerKey));
            var watch = new GameWatch(Devnet.Rpc, sequencerGame, Deployment.DeploymentBlock, logs.CreateLogger("sequencer watch"));
            var defender = new DefenseRunner(watch, sequencerGame, Devnet.SequencerClient(), DefenderTraces, logs.CreateLogger("sequencer"));
            return (challenger, defender);
        }

        public async Task<BigInteger> BalanceOfAsync(Address account) =>
            (await Devnet.Rpc.Eth.GetBalance.SendRequestAsync(account.ToString())).Value;

        /// <summary>Batch 0: deposits, two markets and their prices; batch 1: margin in, a trade in market 1, margin out; batch 2: a withdrawal.</summary>
        private static async Task Flow(L1Devnet devnet, Sequencer.Sequencer sequencer, BatchPoster poster)
        {
            var blocks = sequencer.Subscribe(capacity: 100_000);
            await devnet.FundAndDepositAsync(L1Devnet.Alice, minted: 1_000 * Usdc, deposited: 500 * Usdc);
            await devnet.FundAndDepositAsync(L1Devnet.Bob, minted: 1_000 * Usdc, deposited: 500 * Usdc);
            var watcher = new DepositWatcher(devnet.SequencerClient(), new SequencerDepositSink(sequencer), new DepositWatcherOptions { Confirmations = 1 }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            await devnet.Dev.MineAsync(1);
            Assert.Equal(2, await watcher.PollAsync(default));
            var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var market in new[] { Traded, Quiet })
            {
                await devnet.SubmitAsync(new Transaction { Kind = TxKind.CreateMarket, Market = market, Params = SampleMarkets.Perpetual($"M{market}-PERP", L1Devnet.OracleKey.Address, tickSize: 100, fundingIntervalBlocks: 1000) }, L1Devnet.OperatorKey);
                await devnet.SubmitAsync(new Transaction { Kind = TxKind.OracleUpdate, Market = market, Price = 60_000_000_000, Timestamp = now }, L1Devnet.OracleKey);
            }
            await PostAllAsync(devnet, sequencer, blocks, poster, expectedBatch: 0);

            foreach (var (trader, isBuy) in new[] { (L1Devnet.Alice, false), (L1Devnet.Bob, true) })
            {
                await devnet.SubmitAsync(new Transaction { Kind = TxKind.TransferMargin, Market = Traded, Amount = 300 * Usdc, ToMarket = true }, trader);
                await devnet.SubmitAsync(new Transaction { Kind = TxKind.TransferMargin, Market = Quiet, Amount = 50 * Usdc, ToMarket = true }, trader);
            }
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = Traded, IsBuy = false, Price = 60_000_000_000, Size = 1_000_000 }, L1Devnet.Alice);
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = Traded, IsBuy = false, Price = 60_100_000_000, Size = 2_000_000 }, L1Devnet.Alice);
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = Traded, IsBuy = true, Price = 60_000_000_000, Size = 1_000_000 }, L1Devnet.Bob);
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = Traded, IsBuy = true, Price = 59_900_000_000, Size = 1_000_000 }, L1Devnet.Bob);
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.OracleUpdate, Market = Traded, Price = 60_050_000_000, Timestamp = now + 1 }, L1Devnet.OracleKey);
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.TransferMargin, Market = Traded, Amount = 20 * Usdc, ToMarket = false }, L1Devnet.Alice);
            await PostAllAsync(devnet, sequencer, blocks, poster, expectedBatch: 1);

            await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = 10 * Usdc }, L1Devnet.Alice);
            await PostAllAsync(devnet, sequencer, blocks, poster, expectedBatch: 2);
        }

        /// <summary>Waits until every transaction submitted is in a block, then commits those blocks as one batch.</summary>
        private static async Task PostAllAsync(L1Devnet devnet, Sequencer.Sequencer sequencer, ChannelReader<BlockResult> blocks, BatchPoster poster, ulong expectedBatch)
        {
            _ = devnet;
            while (sequencer.Read(e => e.NextSequence) < sequencer.LoggedTransactions)
            {
                await blocks.ReadAsync();
            }
            var committed = await poster.PostNextAsync(default);
            Assert.NotNull(committed);
            Assert.Equal(expectedBatch, committed!.BatchIndex);
        }

        private T Own<T>(T owned)
            where T : IDisposable
        {
            _owned.Add(owned);
            return owned;
        }

        public async ValueTask DisposeAsync()
        {
            await Devnet.DisposeAsync();
            for (var i = _owned.Count - 1; i >= 0; i--)
            {
                _owned[i].Dispose();
            }
        }
    }
}
