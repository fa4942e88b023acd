using System.CommandLine;
using System.Globalization;
using Rollup.Node.Hosting;

namespace Rollup.Node.Cli;

/// <summary>The flags <c>node</c> and <c>validator</c> share, each overriding one setting of section <c>Node</c>.</summary>
internal sealed class NodeFlags
{
    public Option<FileInfo?> Config { get; } = new("--config") { Description = "JSON settings file (section \"Node\"); see docs/configuration.md" };

    public Option<string?> DataDir { get; } = new("--data-dir") { Description = "state directory (default .rollup/node)" };

    public Option<ulong?> ChainId { get; } = new("--chain-id") { Description = "L2 chain id in the EIP-712 domain (default 31337)" };

    public Option<string?> L1Rpc { get; } = new("--l1-rpc") { Description = "L1 JSON-RPC URL, e.g. http://127.0.0.1:8545 (a sequencer without it runs without L1)" };

    public Option<string?> Contract { get; } = new("--contract") { Description = "the L1 settlement contract's address" };

    public Option<ulong?> L1FromBlock { get; } = new("--l1-from-block") { Description = "the L1 block the contract was deployed in (default 0)" };

    public Option<string?> DisputeGame { get; } = new("--dispute-game") { Description = "the L1 dispute game's address: a sequencer defends its claims, a validator with --challenger-key challenges" };

    public Option<string?> ChallengerKey { get; } = new("--challenger-key") { Description = "validator: hex key that pays challenge bonds (default none: disagreements are reported, not challenged)" };

    public Option<string?> Grpc { get; } = new("--grpc") { Description = "gRPC listen address ip:port (default 127.0.0.1:50051)" };

    public Option<string?> Http { get; } = new("--http") { Description = "HTTP/JSON API and explorer page (/explorer/) listen address ip:port, empty for none (default 127.0.0.1:8080)" };

    public Option<string?> Metrics { get; } = new("--metrics") { Description = "metrics listen address ip:port, empty for none (default 127.0.0.1:9464)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Config, DataDir, ChainId, L1Rpc, Contract, L1FromBlock, DisputeGame, ChallengerKey, Grpc, Http, Metrics })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The flags given, as configuration keys; null and a message when the config file is missing.</summary>
    public (string? ConfigFile, Dictionary<string, string?> Overrides, string? Error) Read(ParseResult parse, string role)
    {
        var overrides = new Dictionary<string, string?> { [Key(nameof(NodeOptions.Role))] = role };
        var file = parse.GetValue(Config);
        if (file is { Exists: false })
        {
            return (null, overrides, $"config file not found: {file.FullName}");
        }
        Set(overrides, nameof(NodeOptions.DataDir), parse.GetValue(DataDir));
        Set(overrides, nameof(NodeOptions.ChainId), parse.GetValue(ChainId)?.ToString(CultureInfo.InvariantCulture));
        Set(overrides, nameof(NodeOptions.L1Rpc), parse.GetValue(L1Rpc));
        Set(overrides, nameof(NodeOptions.SettlementContract), parse.GetValue(Contract));
        Set(overrides, nameof(NodeOptions.L1FromBlock), parse.GetValue(L1FromBlock)?.ToString(CultureInfo.InvariantCulture));
        Set(overrides, nameof(NodeOptions.DisputeGame), parse.GetValue(DisputeGame));
        Set(overrides, nameof(NodeOptions.ChallengerKey), parse.GetValue(ChallengerKey));
        Set(overrides, nameof(NodeOptions.GrpcEndpoint), parse.GetValue(Grpc));
        Set(overrides, nameof(NodeOptions.HttpEndpoint), parse.GetValue(Http));
        Set(overrides, nameof(NodeOptions.MetricsEndpoint), parse.GetValue(Metrics));
        return (file?.FullName, overrides, null);
    }

    private static string Key(string name) => $"{NodeOptions.Section}:{name}";

    private static void Set(Dictionary<string, string?> overrides, string name, string? value)
    {
        if (value is not null)
        {
            overrides[Key(name)] = value;
        }
    }
}
