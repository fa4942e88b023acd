using System.Text.Json;
using System.Text.Json.Nodes;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

/// <summary>Asks tests/interop/ethers/l1.mjs (ethers v6, solc-js): answers that no one here computed.</summary>
internal static class L1Oracle
{
    public static JsonElement Ask(JsonObject request)
    {
        var script = RepositoryPaths.Combine("tests", "interop", "ethers", "l1.mjs");
        var result = ExternalProcess.Run("node", [script], request.ToJsonString());
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"l1.mjs failed ({result.ExitCode}): {result.Stderr}");
        }
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }
}
