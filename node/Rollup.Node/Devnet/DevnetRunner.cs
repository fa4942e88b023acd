using System.Globalization;
using Microsoft.Extensions.Logging;
using Rollup.Bridge.Acks;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Node.Explorer;
using Rollup.Node.Hosting;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Node.Devnet;

/// <summary>
/// A whole local network in one command: anvil, the contracts (deployed once, reused on restart), dev traders
/// funded with mock USDC on L1 and deposited into the L2, a sequencer with its deposit watcher and batch poster,
/// a validator rebuilding from L1, the devnet markets and an oracle feeder. Everything lives in one data
/// directory; Ctrl-C stops it all.
/// </summary>
public static partial class DevnetRunner
{
    public const ulong ChainId = 31337;

    /// <summary>The devnet's settlement windows (L1 blocks, a block a second): short, so batches finalize while you watch.</summary>
    public static readonly SettlementConfig Settlement = new() { ChallengeWindowBlocks = 10, ForcedInclusionBlocks = 100, EscapeTimeoutBlocks = 100_000, TimelockDelayBlocks = 10 };
    private const ulong Usdc = 1_000_000;
    private const string DevnetWriteBufferMiB = "4";

    /// <summary>The devnet's dispute game: a bond of 1 ether a side, a minute on each side's clock, a quarter of the loser's bond burnt.</summary>
    public static readonly DisputeGameConfig Disputes = new(System.Numerics.BigInteger.Pow(10, 18), System.Numerics.BigInteger.Pow(10, 18), ClockBlocks: 60, BurnPpm: 250_000);

    /// <summary>Anvil's account 6: the key the devnet's validator challenges with (bonds and moves). Public: local testing only.</summary>
    public static string ChallengerKey => DevKeys.Published[6];

    /// <summary>Anvil's accounts 3 to 5: the devnet's traders. Public keys: local testing only.</summary>
    public static IReadOnlyList<string> TraderKeys { get; } = [DevKeys.Published[3], DevKeys.Published[4], DevKeys.Published[5]];

    public static async Task<int> RunAsync(DevnetOptions options, CancellationToken cancellation)
    {
        using var loggers = LoggerFactory.Create(logging => NodeRunner.Logging(logging));
        var logger = loggers.CreateLogger("Rollup.Devnet");
        var dataDir = Path.GetFullPath(options.DataDir);
        var l1Dir = Path.Combine(dataDir, "l1");
        Directory.CreateDirectory(l1Dir);
        var binary = AnvilLauncher.FindBinary();
        if (binary is null)
        {
            await Console.Error.WriteLineAsync("rollup devnet: anvil not found: run scripts/setup (it installs npm @foundry-rs/anvil-linux-amd64), or set ROLLUP_ANVIL");
            return 2;
        }

        AnvilLauncher anvil;
        var stateFile = Path.Combine(l1Dir, "anvil-state.json");
        var pidFile = Path.Combine(l1Dir, "anvil.pid");
        await AnvilLauncher.StopLeftoverAsync(pidFile, stateFile);
        try
        {
            anvil = await AnvilLauncher.StartAsync(binary, options.L1Port, ChainId, stateFile, Path.Combine(l1Dir, "anvil.log"), cancellation);
            await File.WriteAllTextAsync(pidFile, anvil.ProcessId.ToString(CultureInfo.InvariantCulture), cancellation);
        }
        catch (InvalidOperationException error)
        {
            await Console.Error.WriteLineAsync($"rollup devnet: {error.Message}");
            return 4;
        }
        await using (anvil)
        {
            LogAnvil(logger, anvil.ProcessId, anvil.Endpoint.ToString());
            using var rpc = new L1Client(anvil.Endpoint);
            var state = await DeployOrReuseAsync(rpc, dataDir, logger, cancellation);
            PrintBanner(options, state, anvil.Endpoint, dataDir);
            var deposits = await new SettlementClient(rpc, Address.Parse(state.Settlement)) { FromBlock = state.DeploymentBlock }.GetDepositCountAsync(cancellation);
            var since = System.Diagnostics.Stopwatch.StartNew();

            var sequencerConfig = NodeConfiguration.Build(null, Settings(options, state, anvil.Endpoint, "sequencer", Path.Combine(dataDir, "sequencer"), options.GrpcPort, options.HttpPort, options.MetricsPort));
            var validatorSettings = Settings(options, state, anvil.Endpoint, "validator", Path.Combine(dataDir, "validator"), options.ValidatorGrpcPort, options.HttpPort + 1, options.MetricsPort + 1);
            validatorSettings["Node:ChallengerKey"] = ChallengerKey;
            var validatorConfig = NodeConfiguration.Build(null, validatorSettings);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var sequencer = NodeRunner.RunAsync(sequencerConfig, stop.Token, (node, token) => Task.WhenAll(
                new OracleFeeder(node, loggers.CreateLogger("Rollup.Devnet.Oracle")).RunAsync(token),
                DevnetReadiness.AnnounceAsync(node, deposits, options, since, token)));
            var validator = NodeRunner.RunAsync(validatorConfig, stop.Token);
            // When one stops (Ctrl-C, or a failure), stop the other.
            await Task.WhenAny(sequencer, validator);
            await stop.CancelAsync();
            var codes = await Task.WhenAll(sequencer, validator);
            await anvil.DisposeAsync();
            File.Delete(pidFile);
            LogStopped(logger);
            return codes[0] != 0 ? codes[0] : codes[1];
        }
    }

    private static Dictionary<string, string?> Settings(DevnetOptions options, DevnetState state, Uri l1, string role, string dataDir, int grpcPort, int httpPort, int metricsPort) => new()
    {
        ["Node:Role"] = role,
        ["Node:DataDir"] = dataDir,
        ["Node:ChainId"] = ChainId.ToString(CultureInfo.InvariantCulture),
        ["Node:SettlementContract"] = state.Settlement,
        ["Node:L1Rpc"] = l1.ToString(),
        ["Node:L1FromBlock"] = state.DeploymentBlock.ToString(CultureInfo.InvariantCulture),
        ["Node:DisputeGame"] = state.DisputeGame,
        ["Node:DepositConfirmations"] = "1",
        ["Node:ValidatorConfirmations"] = "0",
        ["Node:BatchIntervalMs"] = options.BatchIntervalMs.ToString(CultureInfo.InvariantCulture),
        ["Node:GrpcEndpoint"] = $"127.0.0.1:{grpcPort}",
        ["Node:HttpEndpoint"] = $"127.0.0.1:{httpPort}",
        ["Node:MetricsEndpoint"] = $"127.0.0.1:{metricsPort}",
        // A devnet writes little: small memtables, so RocksDB's write-ahead log reservations stay small on disk.
        ["Node:WriteBufferMiB"] = DevnetWriteBufferMiB,
        // A devnet keeps its whole transaction log, to look at.
        ["Node:PruneLogIntervalMs"] = "0",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
    };

    /// <summary>Reuses the deployment of a previous run if L1 still has it; otherwise deploys afresh and funds the traders.</summary>
    private static async Task<DevnetState> DeployOrReuseAsync(L1Client rpc, string dataDir, ILogger logger, CancellationToken cancellation)
    {
        var path = Path.Combine(dataDir, "devnet.json");
        if (DevnetState.Load(path) is { } previous && await IsDeployedAsync(rpc, previous, cancellation))
        {
            LogReused(logger, previous.Settlement);
            if (previous.AckSlashing is null)
            {
                previous = previous with { AckSlashing = (await DeployAckSlashingAsync(rpc, Address.Parse(previous.Settlement), cancellation)).ToString() };
                previous.Save(path);
            }
            if (previous.DisputeGame is null)
            {
                previous = previous with { DisputeGame = (await DeployDisputeGameAsync(rpc, Address.Parse(previous.Settlement), cancellation)).ToString() };
                previous.Save(path);
            }
            return previous;
        }
        foreach (var stale in new[] { "sequencer", "validator" })
        {
            var directory = Path.Combine(dataDir, stale);
            if (Directory.Exists(directory))
            {
                LogWiped(logger, directory);
                Directory.Delete(directory, recursive: true);
            }
        }
        // Mine at once while deploying and funding (a dozen transactions), then back to a block a second.
        var dev = new AnvilRpc(rpc);
        await dev.SetAutomineAsync(true, cancellation);
        var deployer = new TransactionSender(rpc, DevKeys.OperatorKey, ChainId);
        var deployment = await SettlementDeployer.DeployAsync(deployer, DevKeys.SequencerKey.Address, DevKeys.OperatorKey.Address,
            Settlement,
            BatchPoster.GenesisStateRoot, cancellation);
        foreach (var key in TraderKeys)
        {
            var trader = PrivateKey.Parse(key);
            var sender = new TransactionSender(rpc, trader, ChainId);
            await SettlementDeployer.MintAsync(sender, deployment.Token, trader.Address, 1_000_000 * Usdc, cancellation);
            await SettlementDeployer.DepositAsync(sender, deployment, 100_000 * Usdc, trader.Address, cancellation);
        }
        var ackSlashing = await DeployAckSlashingAsync(rpc, deployment.Settlement, cancellation);
        var disputeGame = await DeployDisputeGameAsync(rpc, deployment.Settlement, cancellation);
        await dev.SetIntervalMiningAsync(1, cancellation);
        var state = new DevnetState(deployment.Token.ToString(), deployment.Settlement.ToString(), deployment.DeploymentBlock, ackSlashing.ToString(), disputeGame.ToString());
        state.Save(path);
        LogDeployed(logger, state.Settlement, state.Token);
        return state;
    }

    /// <summary>
    /// The ack slashing contract beside the settlement, with the sequencer's bond in it, so an ack from the devnet can be
    /// checked and slashed as on a real deployment (docs/acks.md): 0.1 ether an ack, a quarter burnt, withdrawals of the
    /// bond delayed 100 L1 blocks (the posting interval and the challenge window, with room).
    /// </summary>
    private static async Task<Address> DeployAckSlashingAsync(L1Client rpc, Address settlement, CancellationToken cancellation)
    {
        var sequencer = new TransactionSender(rpc, DevKeys.SequencerKey, ChainId);
        var slashing = await AckSlashingClient.DeployAsync(rpc, sequencer, settlement, ChainId, new AckSlashingConfig(AckSlashAmount, 250_000, 100), cancellation);
        await slashing.DepositBondAsync(AckBond, cancellation);
        return slashing.Address;
    }

    /// <summary>The dispute game and its provers beside the settlement (docs/disputes.md), judging with the devnet's chain id and operator, and made the settlement's.</summary>
    private static async Task<Address> DeployDisputeGameAsync(L1Client rpc, Address settlement, CancellationToken cancellation)
    {
        var deployer = new TransactionSender(rpc, DevKeys.OperatorKey, ChainId);
        var (game, _) = await DisputeDeployer.DeployAsync(rpc, deployer, ChainId, settlement, [DevKeys.OperatorKey.Address], Disputes, cancellation);
        // The settlement takes the game through its time lock: mined past at once, so claims are final per domain from the start.
        var asOperator = new SettlementClient(rpc, settlement, new ContractTransactor(rpc, deployer, ContractArtifact.Settlement, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        await DisputeDeployer.WireAsync(asOperator, game.Address, token => new AnvilRpc(rpc).MineAsync(Settlement.TimelockDelayBlocks + 1, token), cancellation);
        return game.Address;
    }

    private static readonly System.Numerics.BigInteger AckSlashAmount = System.Numerics.BigInteger.Pow(10, 17);
    private static readonly System.Numerics.BigInteger AckBond = System.Numerics.BigInteger.Pow(10, 19);

    private static async Task<bool> IsDeployedAsync(L1Client rpc, DevnetState state, CancellationToken cancellation)
    {
        try
        {
            var sequencer = rpc.Eth.GetContract(ContractArtifact.Settlement.AbiJson, state.Settlement).GetFunction("sequencer");
            var result = await rpc.RunAsync("eth_call", _ => sequencer.CallAsync<string>(), cancellation);
            return Address.TryParse(result, out var address) && address == DevKeys.SequencerKey.Address;
        }
        catch (Exception error) when (error is L1Exception or FormatException or Nethereum.ABI.FunctionEncoding.SmartContractRevertException)
        {
            return false;
        }
    }

    private static void PrintBanner(DevnetOptions options, DevnetState state, Uri l1, string dataDir)
    {
        var lines = new List<string>
        {
            "",
            "devnet",
            $"  L1 (anvil)   {l1}   chain id {ChainId}, a block a second",
            $"  settlement   {state.Settlement}   mock USDC {state.Token}",
            $"  batches      final {Settlement.ChallengeWindowBlocks} L1 blocks (about {Settlement.ChallengeWindowBlocks} s) after their commitment (the challenge window)",
            $"  sequencer    gRPC 127.0.0.1:{options.GrpcPort}   HTTP/JSON http://127.0.0.1:{options.HttpPort}/v1/markets   metrics http://127.0.0.1:{options.MetricsPort}/metrics",
            $"               acks signed by {DevKeys.SequencerKey.Address} (check an ack against this address: docs/acks.md)",
            $"  ack bond     {state.AckSlashing}   10 ether of the sequencer's, 0.1 an ack it breaks: rollup check-ack --contract {state.Settlement} --slash {state.AckSlashing} ...",
            $"  disputes     game {state.DisputeGame}   bonds 1 ether a side, {Disputes.ClockBlocks} L1 blocks on each clock; the validator challenges with {PrivateKey.Parse(ChallengerKey).Address}",
            $"  validator    gRPC 127.0.0.1:{options.ValidatorGrpcPort}   HTTP/JSON http://127.0.0.1:{options.HttpPort + 1}/v1/markets   metrics http://127.0.0.1:{options.MetricsPort + 1}/metrics",
            $"  explorer     http://127.0.0.1:{options.HttpPort}{ExplorerPage.Path} (the sequencer's)   http://127.0.0.1:{options.HttpPort + 1}{ExplorerPage.Path} (the validator's)",
            $"  markets      {string.Join(", ", DevnetMarkets.All.Select(m => $"{m.Id} {m.Symbol}"))} (oracle prices move every second)",
            $"  data         {dataDir}",
            $"  operator     {DevKeys.OperatorKey.Address}  key {DevKeys.Operator}",
            $"  oracle       {DevKeys.OracleKey.Address}  key {DevKeys.Oracle}",
            "  traders      (1,000,000 USDC minted on L1, 100,000 deposited to L2, on a fresh devnet)",
        };
        foreach (var key in TraderKeys)
        {
            lines.Add($"               {PrivateKey.Parse(key).Address}  key {key}");
        }
        lines.Add("  these keys are public (anvil's test mnemonic): never use them for anything of value. Ctrl-C stops everything.");
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "devnet: anvil (pid {Pid}) serves {Endpoint}")]
    private static partial void LogAnvil(ILogger logger, int pid, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "devnet: contracts deployed: settlement {Settlement}, mock USDC {Token}; traders funded")]
    private static partial void LogDeployed(ILogger logger, string settlement, string token);

    [LoggerMessage(Level = LogLevel.Information, Message = "devnet: reusing the settlement contract {Settlement} from the previous run")]
    private static partial void LogReused(ILogger logger, string settlement);

    [LoggerMessage(Level = LogLevel.Warning, Message = "devnet: L1 has no deployment of a previous run: removing its L2 data {Directory}")]
    private static partial void LogWiped(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "devnet stopped")]
    private static partial void LogStopped(ILogger logger);
}
