namespace Rollup.Node.Hosting;

/// <summary>
/// The node's settings. Sources, later ones winning: built-in defaults, the JSON file given by
/// <c>--config</c>, environment variables <c>ROLLUP__NODE__DATADIR=...</c>, command-line flags.
/// </summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Where the node keeps its RocksDB state. Default: <c>.rollup/node</c> under the working directory.</summary>
    public string DataDir { get; set; } = Path.Combine(".rollup", "node");

    /// <summary>The L2 chain id, part of every signature's EIP-712 domain. Default: 31337 (the devnet).</summary>
    public ulong ChainId { get; set; } = 31337;
}
