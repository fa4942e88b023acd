using Rollup.Primitives.Signatures;

namespace Rollup.Node.Hosting;

/// <summary>
/// Keys of the local devnet: the first accounts of anvil's public test mnemonic, known to everyone.
/// Never use them for anything of value; the node logs a warning when it runs with them.
/// </summary>
public static class DevKeys
{
    public const string Sequencer = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    public const string Operator = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    public const string Oracle = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

    public static PrivateKey SequencerKey => PrivateKey.Parse(Sequencer);

    public static PrivateKey OperatorKey => PrivateKey.Parse(Operator);

    public static PrivateKey OracleKey => PrivateKey.Parse(Oracle);
}
