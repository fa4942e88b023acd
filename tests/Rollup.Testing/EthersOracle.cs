using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rollup.Testing;

/// <summary>
/// Asks ethers v6 (npm, installed by scripts/setup) for the answer: an implementation of Keccak-256,
/// secp256k1 and EIP-712 that no one here wrote. See tests/interop/ethers/oracle.mjs for the requests.
/// </summary>
public static class EthersOracle
{
    public static JsonElement Ask(JsonObject request)
    {
        var script = RepositoryPaths.Combine("tests", "interop", "ethers", "oracle.mjs");
        var result = ExternalProcess.Run("node", [script], request.ToJsonString());
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ethers oracle failed ({result.ExitCode}): {result.Stderr}");
        }
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }
}
