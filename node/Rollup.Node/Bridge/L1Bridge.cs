using Microsoft.Extensions.Logging;
using Rollup.Api.Hosting;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Execution.Steps.Markets;
using Rollup.Node.Disputes;
using Rollup.Node.Hosting;
using Rollup.Primitives;
using Rollup.Primitives.Compression;

namespace Rollup.Node.Bridge;

/// <summary>
/// The L1 side of a node: for a sequencer the deposit watcher, the batch poster and (with a dispute game) the defender
/// of its claims; for a validator the validator and (with a dispute game and a challenger key) its challenger.
/// </summary>
public sealed class L1Bridge : IAsyncDisposable
{
    private readonly L1Client _rpc;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private BridgeMetrics? _metrics;

    private L1Bridge(L1Client rpc)
    {
        _rpc = rpc;
    }

    public DepositWatcher? Watcher { get; private set; }

    public BatchPoster? Poster { get; private set; }

    public Validator? Validator { get; private set; }

    /// <summary>A sequencer's pruning of its transaction log (when <see cref="NodeOptions.PruneLogIntervalMs"/> is set).</summary>
    public LogRetention? Retention { get; private set; }

    /// <summary>The engine market claims are traced from (both starts open one), in the data directory's <c>provable</c>.</summary>
    public ProvableMarkets? Provable { get; private set; }

    /// <summary>The dispute games on L1 as of the last round (with <see cref="NodeOptions.DisputeGame"/>).</summary>
    public GameWatch? Games { get; private set; }

    /// <summary>A sequencer's defence of its claims (with <see cref="NodeOptions.DisputeGame"/>).</summary>
    public DefenseRunner? Defense { get; private set; }

    /// <summary>A validator's challenges (with <see cref="NodeOptions.DisputeGame"/> and <see cref="NodeOptions.ChallengerKey"/>).</summary>
    public ChallengeRunner? Challenge { get; private set; }

    /// <summary>The batches on L1 and their status, for <c>Query/ListBatches</c>; set by both starts.</summary>
    public SettlementBatchLedger? Batches { get; private set; }

    public static Uri Endpoint(NodeOptions options) =>
        Uri.TryCreate(options.L1Rpc, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new OptionsException($"Node:L1Rpc is not an http(s) URL: '{options.L1Rpc}'");

    public static Address Contract(NodeOptions options) =>
        Address.TryParse(options.SettlementContract, out var contract) && !contract.IsZero
            ? contract
            : throw new OptionsException("Node:SettlementContract must name the L1 settlement contract when Node:L1Rpc is set");

    public static CompressionCodecId Codec(NodeOptions options) => options.BatchCodec.ToUpperInvariant() switch
    {
        "NONE" => CompressionCodecId.None,
        "LZ4" => CompressionCodecId.Lz4,
        "ZSTD" => CompressionCodecId.Zstd,
        _ => throw new OptionsException($"Node:BatchCodec must be none, lz4 or zstd, not '{options.BatchCodec}'"),
    };

    /// <summary>Starts the watcher and the poster of a sequencer; both run until the bridge is disposed.</summary>
    public static async Task<L1Bridge> StartSequencerAsync(NodeOptions options, Sequencer.Sequencer sequencer, ILoggerFactory loggers)
    {
        var contract = Contract(options);
        var codec = Codec(options);
        var bridge = new L1Bridge(new L1Client(Endpoint(options)));
        ulong chainId;
        try
        {
            chainId = await bridge._rpc.GetChainIdAsync().ConfigureAwait(false);
        }
        catch
        {
            await bridge.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        // One sender for the key: the poster's and the defender's transactions take turns with its nonces.
        var l1Sender = new TransactionSender(bridge._rpc, SequencerFactory.L1Key(options), chainId);
        var transactor = new ContractTransactor(bridge._rpc, l1Sender, ContractArtifact.Settlement, loggers.CreateLogger("Rollup.Bridge.L1"));
        var settlement = new SettlementClient(bridge._rpc, contract, transactor) { FromBlock = options.L1FromBlock };
        // Opened before any part is set: its RocksDB open takes a while, and the metrics are made from the parts set at the first export.
        bridge.Provable = OpenProvableMarkets(options, sequencer.Read(engine => engine.Options), n => sequencer.ReadStored(engine => engine.GetBlock(n)));
        bridge.Batches = new SettlementBatchLedger(settlement);
        bridge.Watcher = new DepositWatcher(settlement, new SequencerDepositSink(sequencer), new DepositWatcherOptions
        {
            Confirmations = options.DepositConfirmations,
            PollInterval = TimeSpan.FromMilliseconds(options.L1PollMs),
        }, loggers.CreateLogger("Rollup.Bridge.Deposits"));
        bridge.Poster = new BatchPoster(settlement, new ChainBlockSource(sequencer, bridge.Provable), new BatchPosterOptions
        {
            Interval = TimeSpan.FromMilliseconds(options.BatchIntervalMs),
            Codec = codec,
            MaxBlocksPerBatch = options.MaxBlocksPerBatch,
            IntentFile = Path.Combine(Path.GetFullPath(options.DataDir), "bridge", "poster-intent.json"),
        }, loggers.CreateLogger("Rollup.Bridge.Poster"));
        bridge.Run("deposit watcher", bridge.Watcher.RunAsync, loggers);
        bridge.Run("batch poster", bridge.Poster.RunAsync, loggers);
        if (DisputeRoles.GameAddress(options) is { } gameAddress)
        {
            var game = new DisputeGameClient(bridge._rpc, gameAddress);
            var traces = DisputeRoles.Traces(n => sequencer.ReadStored(engine => engine.GetBlock(n)), bridge.Provable, sequencer.Read(engine => engine.Options));
            bridge.Games = DisputeRoles.Watch(bridge._rpc, game, options, loggers);
            bridge.Defense = DisputeRoles.Defender(bridge.Games, game, l1Sender, settlement, traces, loggers);
            var interval = TimeSpan.FromMilliseconds(options.L1PollMs);
            bridge.Run("dispute defender", cancellation => bridge.Defense.RunAsync(interval, cancellation), loggers);
        }
        if (options.PruneLogIntervalMs > 0)
        {
            bridge.Retention = new LogRetention(settlement, sequencer, TimeSpan.FromMilliseconds(options.PruneLogIntervalMs), loggers.CreateLogger("Rollup.Sequencer.Log"));
            bridge.Run("log retention", bridge.Retention.RunAsync, loggers);
        }
        return bridge;
    }

    /// <summary>Starts the validator, which executes what it derives from L1 into <paramref name="chain"/>.</summary>
    public static async Task<L1Bridge> StartValidatorAsync(NodeOptions options, ExecutedChain chain, ILoggerFactory loggers)
    {
        var contract = Contract(options);
        var gameAddress = DisputeRoles.GameAddress(options);
        var challengerKey = DisputeRoles.ChallengerKey(options);
        var bridge = new L1Bridge(new L1Client(Endpoint(options)));
        ulong chainId = 0;
        if (gameAddress is not null && challengerKey is not null)
        {
            try
            {
                chainId = await bridge._rpc.GetChainIdAsync().ConfigureAwait(false);
            }
            catch
            {
                await bridge.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        var settlement = new SettlementClient(bridge._rpc, contract) { FromBlock = options.L1FromBlock, Confirmations = options.ValidatorConfirmations };
        bridge.Provable = OpenProvableMarkets(options, chain.Read(engine => engine.Options), n => chain.ReadStored(engine => engine.GetBlock(n)));
        bridge.Batches = new SettlementBatchLedger(settlement);
        bridge.Validator = new Validator(settlement, new ChainExecutor(chain, bridge.Provable), new ValidatorOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(options.L1PollMs),
            ProgressFile = Path.Combine(Path.GetFullPath(options.DataDir), "validator-progress"),
        }, loggers.CreateLogger("Rollup.Bridge.Validator"));
        bridge.Run("validator derivation", bridge.Validator.RunAsync, loggers);
        if (gameAddress is { } address)
        {
            var game = new DisputeGameClient(bridge._rpc, address);
            var interval = TimeSpan.FromMilliseconds(options.L1PollMs);
            bridge.Games = DisputeRoles.Watch(bridge._rpc, game, options, loggers);
            bridge.Run("dispute watch", cancellation => bridge.Games.RunAsync(interval, cancellation), loggers);
            if (challengerKey is not null)
            {
                var traces = DisputeRoles.Traces(n => chain.ReadStored(engine => engine.GetBlock(n)), bridge.Provable, chain.Read(engine => engine.Options));
                var sender = new TransactionSender(bridge._rpc, challengerKey, chainId);
                bridge.Challenge = DisputeRoles.Challenger(game, sender, settlement, traces, bridge.Validator, loggers);
                bridge.Run("dispute challenger", cancellation => bridge.Challenge.RunAsync(interval, cancellation), loggers);
            }
        }
        return bridge;
    }

    /// <summary>The engine the market claims are traced from (docs/steps.md, "Claims"), in the data directory's <c>provable</c>.</summary>
    private static ProvableMarkets OpenProvableMarkets(NodeOptions options, EngineOptions engine, Func<ulong, BlockRecord?> blocks) =>
        new(Path.Combine(Path.GetFullPath(options.DataDir), "provable"), engine, blocks);

    /// <summary>What the bridge did, as metrics (made at the first export, once the bridge's parts run).</summary>
    public Prometheus.CollectorRegistry MetricsRegistry => (_metrics ??= new BridgeMetrics(this)).Registry;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in _tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _rpc.Dispose();
        Provable?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>The bridge's loops (deposit watcher, batch poster, validator derivation): the first that failed, if one did.</summary>
    public LoopFaults Faults { get; } = new();

    private void Run(string name, Func<CancellationToken, Task> loop, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Rollup.Bridge");
        _tasks.Add(Task.Run(async () =>
        {
            try
            {
                await loop(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogCritical(error, "{Loop} failed: {Reason}; the node stops to be restarted into recovery", name, error.Message);
                Faults.Report(name, error);
            }
        }));
    }
}
