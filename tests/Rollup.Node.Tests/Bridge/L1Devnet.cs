using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// A real anvil with the settlement contract deployed, and a real sequencer whose EIP-712 domain names it:
/// the parts the bridge tests put together. Keys are anvil's: 0 sequencer, 1 operator (and deployer), 2 oracle,
/// 3 and 4 traders.
/// </summary>
internal sealed class L1Devnet : IAsyncDisposable
{
    public static readonly PrivateKey SequencerKey = AnvilProcess.DevKey(0);
    public static readonly PrivateKey OperatorKey = AnvilProcess.DevKey(1);
    public static readonly PrivateKey OracleKey = AnvilProcess.DevKey(2);
    public static readonly PrivateKey Alice = AnvilProcess.DevKey(3);
    public static readonly PrivateKey Bob = AnvilProcess.DevKey(4);

    private readonly Dictionary<Address, ulong> _nonces = [];

    private L1Devnet(AnvilProcess anvil, L1Client rpc, SettlementDeployment deployment, TempDirectory directory)
    {
        Anvil = anvil;
        Rpc = rpc;
        Deployment = deployment;
        Directory = directory;
        Domain = RollupDomain.Create(anvil.ChainId, deployment.Settlement);
    }

    public AnvilProcess Anvil { get; private set; }

    public L1Client Rpc { get; private set; }

    public SettlementDeployment Deployment { get; }

    public TempDirectory Directory { get; }

    public Eip712Domain Domain { get; }

    public Sequencer.Sequencer? Sequencer { get; private set; }

    public AnvilRpc Dev => new(Rpc);

    public static async Task<L1Devnet> StartAsync(SettlementConfig config, string? stateFile = null, double? blockTimeSeconds = null)
    {
        var directory = new TempDirectory("rollup-l1");
        var anvil = await AnvilProcess.StartAsync(stateFile: stateFile, blockTimeSeconds: blockTimeSeconds);
        var rpc = new L1Client(anvil.Endpoint);
        var deployer = new TransactionSender(rpc, OperatorKey, anvil.ChainId);
        var deployment = await SettlementDeployer.DeployAsync(deployer, SequencerKey.Address, OperatorKey.Address, config, BatchPoster.GenesisStateRoot, default);
        return new L1Devnet(anvil, rpc, deployment, directory);
    }

    public EngineOptions EngineOptions(bool verifySignatures) => new()
    {
        ChainId = Anvil.ChainId,
        SettlementContract = Deployment.Settlement,
        Operators = [OperatorKey.Address],
        Workers = 2,
        VerifySignatures = verifySignatures,
    };

    public Sequencer.Sequencer StartSequencer()
    {
        Sequencer = Rollup.Sequencer.Sequencer.Start(new SequencerOptions
        {
            DataDir = System.IO.Path.Combine(Directory.Path, "sequencer"),
            Engine = EngineOptions(verifySignatures: false),
            Key = SequencerKey,
            BlockInterval = TimeSpan.FromMilliseconds(10),
        }, NullLogger.Instance);
        return Sequencer;
    }

    public TransactionSender Sender(PrivateKey key) => new(Rpc, key, Anvil.ChainId);

    /// <summary>The settlement contract as the sequencer's poster and watcher use it (writes signed by the sequencer key).</summary>
    public SettlementClient SequencerClient(int confirmations = 0) =>
        new(Rpc, Deployment.Settlement, new ContractTransactor(Rpc, Sender(SequencerKey), ContractArtifact.Settlement, NullLogger.Instance))
        {
            FromBlock = Deployment.DeploymentBlock,
            Confirmations = confirmations,
        };

    public SettlementClient ClientOf(PrivateKey key) =>
        new(Rpc, Deployment.Settlement, new ContractTransactor(Rpc, Sender(key), ContractArtifact.Settlement, NullLogger.Instance)) { FromBlock = Deployment.DeploymentBlock };

    public async Task FundAndDepositAsync(PrivateKey trader, ulong minted, ulong deposited)
    {
        var sender = Sender(trader);
        await SettlementDeployer.MintAsync(sender, Deployment.Token, trader.Address, minted, default);
        await SettlementDeployer.DepositAsync(sender, Deployment, deposited, trader.Address, default);
    }

    /// <summary>Signs with the account's next nonce and submits to the sequencer; asserts it was accepted and returns the ack.</summary>
    public async Task<SubmitResult> SubmitAsync(Transaction tx, PrivateKey key)
    {
        _nonces.TryGetValue(key.Address, out var nonce);
        _nonces[key.Address] = nonce + 1;
        var result = await Sequencer!.SubmitAsync(TransactionSigning.Sign(tx with { Account = key.Address, Nonce = nonce }, key, Domain));
        Assert.True(result.IsAccepted, $"{tx.Kind} refused: {result.Status} {result.Detail}");
        return result;
    }

    /// <summary>Stops anvil with SIGTERM, so its state file is written: L1 is down until <see cref="StartAnvilAgainAsync"/>.</summary>
    public async Task StopAnvilAsync() => await Anvil.StopAsync();

    /// <summary>Starts anvil again on the same port from its state file.</summary>
    public async Task StartAnvilAgainAsync(string stateFile)
    {
        var port = Anvil.Port;
        Anvil.Dispose();
        Anvil = await AnvilProcess.StartAsync(stateFile: stateFile, port: port);
    }

    public async ValueTask DisposeAsync()
    {
        if (Sequencer is not null)
        {
            await Sequencer.DisposeAsync();
        }
        Rpc.Dispose();
        Anvil.Dispose();
        Directory.Dispose();
    }
}
