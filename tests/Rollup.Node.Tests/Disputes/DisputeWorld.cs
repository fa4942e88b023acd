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
using Rollup.Execution.Chain;
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
/// A sequencer that posted three batches (the second lying, with a <see cref="DishonestSequencer"/>), a validator
/// beside it, and the dispute game: batch 0 holds deposits, two markets and their prices; batch 1 margin in, a trade in
/// market 1 and Alice's margin out of it (held for market 1, docs/state.md "Held credits"); batch 2 two withdrawals:
/// Alice's, past her unheld funds (so it draws on the credit held for market 1), and Carol's, who never traded.
/// </summary>
internal sealed class DisputeWorld : IAsyncDisposable
{
    public const uint Traded = 1;
    public const uint Quiet = 2;
    public const ulong Usdc = 1_000_000;
    /// <summary>Alice's withdrawal in batch 2: her 150 unheld and 10 of the 20 held for market 1.</summary>
    public const ulong AliceWithdraws = 160 * Usdc;
    public const ulong CarolWithdraws = 40 * Usdc;
    public static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    /// <summary>The challenge window by default: long enough for the world's flow and a challenge, short enough to mine through.</summary>
    public const ulong DefaultWindow = 200;
    /// <summary>Clocks longer than the default window: a step that reads another claim is proven once that claim is Final
    /// (its window passed), so a side's clock must outlast the window for the verifier, not the clock, to decide.</summary>
    public static readonly DisputeGameConfig Config = new(Ether, Ether, ClockBlocks: 2 * DefaultWindow, BurnPpm: 250_000);
    public static readonly PrivateKey ChallengerKey = AnvilProcess.DevKey(5);
    /// <summary>A trader who deposits and withdraws and touches no market.</summary>
    public static readonly PrivateKey Carol = AnvilProcess.DevKey(6);

    private readonly List<IDisposable> _owned = [];

    private DisputeWorld(L1Devnet devnet)
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

    public Sequencer.Sequencer Sequencer => Devnet.Sequencer!;

    /// <param name="extraTrades">Pairs of trades added to batch 1 in market 1 (a maker rests, a taker fills it, in turn):
    /// the size of the disputed market's trace, for the scale figures (<c>DisputeScaleTests</c>).</param>
    /// <param name="windowBlocks">The challenge window (<see cref="DefaultWindow"/>); shorter than the clocks.</param>
    /// <param name="clockBlocks">Each side's clock (<see cref="Config"/>'s by default).</param>
    public static async Task<DisputeWorld> StartAsync(DishonestSequencer? lie, int extraTrades = 0, ulong windowBlocks = DefaultWindow, ulong? clockBlocks = null)
    {
        var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = windowBlocks, TimelockDelayBlocks = 1 });
        var world = new DisputeWorld(devnet);
        var config = Config with { ClockBlocks = clockBlocks ?? Config.ClockBlocks };
        var (game, deployment) = await DisputeDeployer.DeployAsync(
            devnet.Rpc, devnet.Sender(L1Devnet.OperatorKey), devnet.Anvil.ChainId, devnet.Deployment.Settlement, [L1Devnet.OperatorKey.Address], config, default);
        (world.Game, world.Deployment) = (game, deployment);
        // The settlement takes the game through its time lock: claims are final per domain (docs/disputes.md, "Finality").
        await DisputeDeployer.WireAsync(devnet.ClientOf(L1Devnet.OperatorKey), game.Address, token => devnet.Dev.MineAsync(2, token), default);
        Assert.Equal(game.Address, await devnet.SequencerClient().GetDisputeGameAsync(default));

        var sequencer = devnet.StartSequencer();
        var posterDirectory = world.Own(new TempDirectory("rollup-dispute-provable"));
        var posterMarkets = world.Own(new ProvableMarkets(posterDirectory.Path, sequencer.Read(e => e.Options), n => sequencer.ReadStored(e => e.GetBlock(n))));
        world.SequencerTraces = new StoredBatchTraces(n => sequencer.ReadStored(e => e.GetBlock(n)), posterMarkets, sequencer.Read(e => e.Options));
        world.DefenderTraces = lie?.Traces(world.SequencerTraces) ?? world.SequencerTraces;
        IBatchSink sink = devnet.SequencerClient();
        var poster = new BatchPoster(lie?.Sink(sink) ?? sink, new ChainBlockSource(sequencer, posterMarkets), new BatchPosterOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await Flow(devnet, sequencer, poster, extraTrades);

        var validatorDirectory = world.Own(new TempDirectory("rollup-dispute-validator"));
        world.ValidatorChain = world.Own(new ExecutedChain(ExecutionEngine.Open(validatorDirectory.Path, devnet.EngineOptions(verifySignatures: true))));
        var validatorProvable = world.Own(new TempDirectory("rollup-dispute-validator-provable"));
        world.ValidatorMarkets = world.Own(new ProvableMarkets(validatorProvable.Path, world.ValidatorChain.Read(e => e.Options), n => world.ValidatorChain.ReadStored(e => e.GetBlock(n))));
        world.Validator = world.NewValidator();
        return world;
    }

    public Validator NewValidator(ILogger? logger = null) =>
        new(Devnet.SequencerClient(), new ChainExecutor(ValidatorChain, ValidatorMarkets), new ValidatorOptions(), logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>The validator's challenger and the sequencer's defender, each made as its node makes it.</summary>
    public (ChallengeRunner Challenger, DefenseRunner Defender) Players(CapturedLogs logs, Func<ValidationReport?>? disagreement = null)
    {
        var validatorTraces = new StoredBatchTraces(n => ValidatorChain.ReadStored(e => e.GetBlock(n)), ValidatorMarkets, ValidatorChain.Read(e => e.Options));
        var challenger = new ChallengeRunner(Game.As(Devnet.Sender(ChallengerKey)), Devnet.SequencerClient(), validatorTraces, disagreement ?? (() => Validator.Fault), logs.CreateLogger("validator"));
        var sequencerGame = Game.As(Devnet.Sender(L1Devnet.SequencerKey));
        var watch = new GameWatch(Devnet.Rpc, sequencerGame, Deployment.DeploymentBlock, logs.CreateLogger("sequencer watch"));
        // A lying sequencer plays its lie, but re-posts the truth once its claim fell.
        var reposter = new ClaimReposter(Devnet.SequencerClient(), SequencerTraces, logs.CreateLogger("sequencer"));
        var defender = new DefenseRunner(watch, sequencerGame, Devnet.SequencerClient(), DefenderTraces, logs.CreateLogger("sequencer"), reposter);
        return (challenger, defender);
    }

    /// <summary>Rounds of the two players in turn until every game the challenger plays has ended; the moves each made.</summary>
    public static async Task<(int Challenger, int Defender)> PlayAsync(ChallengeRunner challenger, DefenseRunner defender, int rounds)
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
    public static void AssertWithinBound(ulong steps, int challengerMoves, int defenderMoves)
    {
        var bound = (int)Math.Ceiling(Math.Log2(steps)) + 3;
        Assert.True(challengerMoves <= bound && defenderMoves <= bound, $"{challengerMoves} and {defenderMoves} moves for {steps} steps (bound {bound})");
        Assert.True(challengerMoves > 1 && defenderMoves > 0, $"{challengerMoves} and {defenderMoves} moves: the game was not played");
    }

    public async Task<BigInteger> BalanceOfAsync(Address account) =>
        (await Devnet.Rpc.Eth.GetBalance.SendRequestAsync(account.ToString())).Value;

    /// <summary>Batch 0: deposits, two markets and their prices; batch 1: margin in, a trade in market 1, margin out; batch 2: two withdrawals.</summary>
    private static async Task Flow(L1Devnet devnet, Sequencer.Sequencer sequencer, BatchPoster poster, int extraTrades)
    {
        var blocks = sequencer.Subscribe(capacity: 100_000);
        await devnet.FundAndDepositAsync(L1Devnet.Alice, minted: 1_000 * Usdc, deposited: 500 * Usdc);
        await devnet.FundAndDepositAsync(L1Devnet.Bob, minted: 1_000 * Usdc, deposited: 500 * Usdc);
        await devnet.FundAndDepositAsync(Carol, minted: 100 * Usdc, deposited: 100 * Usdc);
        var watcher = new DepositWatcher(devnet.SequencerClient(), new SequencerDepositSink(sequencer), new DepositWatcherOptions { Confirmations = 1 }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await devnet.Dev.MineAsync(1);
        Assert.Equal(3, await watcher.PollAsync(default));
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
        await TradeInTurnsAsync(devnet, extraTrades);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.OracleUpdate, Market = Traded, Price = 60_050_000_000, Timestamp = now + 1 }, L1Devnet.OracleKey);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.TransferMargin, Market = Traded, Amount = 20 * Usdc, ToMarket = false }, L1Devnet.Alice);
        await PostAllAsync(devnet, sequencer, blocks, poster, expectedBatch: 1);

        await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = AliceWithdraws }, L1Devnet.Alice);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = CarolWithdraws }, Carol);
        await PostAllAsync(devnet, sequencer, blocks, poster, expectedBatch: 2);
    }

    /// <summary>
    /// Alice and Bob take turns making and taking at 60,000, inside the resting 59,900 bid and 60,100 ask: in each pair the
    /// maker rests a sell the taker buys, then a buy the taker sells into (four orders, two fills), which leaves both
    /// positions where they were; at 0.001 a fill the fees stay within margin for the 2,500 pairs of a 10k-order batch.
    /// </summary>
    private static async Task TradeInTurnsAsync(L1Devnet devnet, int pairs)
    {
        for (var pair = 0; pair < pairs; pair++)
        {
            var (maker, taker) = pair % 2 == 0 ? (L1Devnet.Alice, L1Devnet.Bob) : (L1Devnet.Bob, L1Devnet.Alice);
            foreach (var makerSells in new[] { true, false })
            {
                await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = Traded, IsBuy = !makerSells, Price = 60_000_000_000, Size = 100_000 }, maker);
                await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = Traded, IsBuy = makerSells, Price = 60_000_000_000, Size = 100_000 }, taker);
            }
        }
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
