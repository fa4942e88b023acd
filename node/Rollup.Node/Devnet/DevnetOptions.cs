namespace Rollup.Node.Devnet;

/// <summary>The devnet's ports and data directory (flags of <c>rollup devnet</c>).</summary>
public sealed record DevnetOptions
{
    public string DataDir { get; init; } = Path.Combine(".rollup", "devnet");

    public int L1Port { get; init; } = 8545;

    public int GrpcPort { get; init; } = 50051;

    public int ValidatorGrpcPort { get; init; } = 50052;

    /// <summary>The sequencer's HTTP/JSON API port; the validator's is the next one.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>The sequencer's metrics port; the validator's is the next one.</summary>
    public int MetricsPort { get; init; } = 9464;

    public int BatchIntervalMs { get; init; } = 2_000;
}
