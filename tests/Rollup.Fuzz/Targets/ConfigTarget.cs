using System.Text;
using Rollup.Node.Hosting;

namespace Rollup.Fuzz.Targets;

/// <summary>
/// A node's JSON settings (<c>--config</c>, read as the file's bytes): it loads into options a node can start with, or is refused with
/// <see cref="OptionsException"/> (the node prints it and exits 2), never another exception.
/// </summary>
public sealed class ConfigTarget : FuzzTarget
{
    public override string Name => "config";

    public override IReadOnlyList<byte[]> Seeds { get; } =
    [
        Encoding.UTF8.GetBytes("""{"Node":{"DataDir":"/tmp/x","ChainId":31337,"GrpcEndpoint":"127.0.0.1:50051","HttpEndpoint":"","BlockIntervalMs":50,"Workers":2,"Operators":["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]}}"""),
        Encoding.UTF8.GetBytes("""{"Node":{"Role":"validator","L1Rpc":"http://127.0.0.1:8545","SettlementContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3","L1FromBlock":"12","ValidatorConfirmations":2,"WriteBufferMiB":4}}"""),
        Encoding.UTF8.GetBytes("""{"Node":{"SequencerKey":"0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d","MaxPendingPerAccount":1024,"AckTreeMaxLeaves":128,"BatchCodec":"zstd","DevDeposits":["0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC:100"]}}"""),
    ];

    public override FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        using var json = new MemoryStream(input.ToArray());
        try
        {
            var options = NodeConfiguration.Load(NodeConfiguration.Build(json, new Dictionary<string, string?>(), "the settings"));
            _ = SequencerFactory.Options(options);
            return FuzzOutcome.Accepted;
        }
        catch (OptionsException)
        {
            return FuzzOutcome.Rejected;
        }
    }
}
