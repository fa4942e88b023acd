using Rollup.Node.Cli;
using Rollup.Node.Hosting;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Node.Tests;

public class RollupCliTests
{
    [Fact]
    public void Doctor_OnSetUpMachine_AllChecksPass()
    {
        Assert.All(NativeSelfCheck.Run(), result => Assert.True(result.Ok, $"{result.Component}: {result.Detail}"));
        Assert.Equal(0, RollupCli.Create().Parse(["doctor"]).Invoke());
    }

    [Fact]
    public async Task Node_MissingConfigFile_ExitsWithUsageError()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.json");
        Assert.Equal(2, await RollupCli.Create().Parse(["node", "--config", missing]).InvokeAsync());
    }

    // Found by the config fuzz target: both ended in an unhandled exception with a stack trace (exit 134 and 1).
    [Theory]
    [InlineData("""{"Node":{"ChainId":"abc"}}""", "Failed to convert configuration value 'abc' at 'Node:ChainId' to type 'System.UInt64'.")]
    [InlineData("""{"Node":{""", "is not JSON settings: ")]
    [InlineData("""{"Node":{"DataDir":""}}""", "Node:DataDir is not a directory path: ''")] // the fuzz soak's: an ArgumentException out of Path.GetFullPath
    public void Node_ConfigFileThatCannotBeRead_ExitsWithUsageErrorNamingWhy(string json, string message)
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "settings.json");
        File.WriteAllText(file, json);
        var run = ExternalProcess.Run("dotnet", [NodeProcess.RollupDll(), "node", "--config", file], workingDirectory: temp.Path);
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        // Refused while reading the file: on stderr; refused as a value, once logging is up: in the node's log.
        Assert.Contains(message, run.Stderr + run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_Command_ExitsNonZero()
    {
        Assert.NotEqual(0, RollupCli.Create().Parse(["no-such-command"]).Invoke());
    }

    [Fact]
    public void BuildHost_FileThenFlags_LaterSourceWins()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("rollup.json");
        File.WriteAllText(file, """{ "Node": { "DataDir": "/from/file", "ChainId": 5 } }""");

        var options = NodeConfiguration.Load(NodeConfiguration.Build(file, new Dictionary<string, string?>()));
        Assert.Equal("/from/file", options.DataDir);
        Assert.Equal(5UL, options.ChainId);

        var overridden = NodeConfiguration.Load(NodeConfiguration.Build(file, new Dictionary<string, string?> { ["Node:ChainId"] = "77" }));
        Assert.Equal("/from/file", overridden.DataDir);
        Assert.Equal(77UL, overridden.ChainId);
    }

    [Fact]
    public void BuildHost_NoSources_DocumentedDefaults()
    {
        var options = NodeConfiguration.Load(NodeConfiguration.Build(null, new Dictionary<string, string?>()));
        Assert.Equal(Path.Combine(".rollup", "node"), options.DataDir);
        Assert.Equal(31337UL, options.ChainId);
    }

    [Fact]
    public async Task Validator_WithoutL1_ExitsWithAConfigurationError()
    {
        using var temp = new TempDirectory();
        Assert.Equal(2, await RollupCli.Create().Parse(["validator", "--data-dir", temp.Path, "--grpc", "127.0.0.1:0", "--metrics", ""]).InvokeAsync());
    }

    [Fact]
    public async Task Node_L1WithoutContract_ExitsWithAConfigurationError()
    {
        using var temp = new TempDirectory();
        Assert.Equal(2, await RollupCli.Create().Parse(["node", "--data-dir", temp.Path, "--l1-rpc", "http://127.0.0.1:1", "--grpc", "127.0.0.1:0", "--metrics", ""]).InvokeAsync());
    }

    [Fact]
    public async Task Node_OffTheDevnetsChain_RefusesAnvilsPublishedKeys_AcceptsItsOwn()
    {
        using var temp = new TempDirectory();
        var own = PrivateKey.Generate().ToHexUnsafe();
        var closed = NodeProcess.FreePort();
        async Task<int> Run(string sequencerKey, string? l1Key)
        {
            var file = temp.Combine($"keys-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(file, "{ \"Node\": { \"SequencerKey\": \"" + sequencerKey + "\", \"L1Key\": \"" + (l1Key ?? "") + "\" } }");
            // Past the key check the node meets an L1 that is not there: exit 6, not the 2 of a refused setting.
            return await RollupCli.Create().Parse(["node", "--config", file, "--chain-id", "5", "--data-dir", temp.Combine(Guid.NewGuid().ToString("N")), "--l1-rpc", $"http://127.0.0.1:{closed}",
                "--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--grpc", "127.0.0.1:0", "--http", "", "--metrics", ""]).InvokeAsync();
        }
        Assert.Equal(2, await Run(DevKeys.Sequencer, null));
        Assert.Equal(2, await Run(own, DevKeys.Published[7]));
        Assert.Equal(6, await Run(own, PrivateKey.Generate().ToHexUnsafe()));
        Assert.Equal(6, await Run(own, null));
    }

    [Fact]
    public async Task DevKeys_Published_AreTheKeysAnvilPrints()
    {
        using var anvil = await AnvilProcess.StartAsync();
        var printed = System.Text.RegularExpressions.Regex.Matches(anvil.Output, @"\((\d)\) (0x[0-9a-f]{64})\b").Select(m => m.Groups[2].Value).Distinct().ToList();
        Assert.Equal(DevKeys.Published, printed);
    }

    [Fact]
    public async Task Node_UnreachableL1_ExitsWithItsOwnCode()
    {
        using var temp = new TempDirectory();
        var closed = NodeProcess.FreePort();
        Assert.Equal(6, await RollupCli.Create().Parse(["node", "--data-dir", temp.Path, "--l1-rpc", $"http://127.0.0.1:{closed}", "--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--grpc", "127.0.0.1:0", "--metrics", ""]).InvokeAsync());
    }

    [Fact]
    public async Task Withdraw_BadArguments_ExitWithUsageErrors()
    {
        Assert.Equal(2, await RollupCli.Create().Parse(["withdraw", "--contract", "not-an-address", "--key", "0x01", "--block", "1", "--tx", "0"]).InvokeAsync());
        Assert.Equal(2, await RollupCli.Create().Parse(["withdraw", "--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--key", "nonsense", "--block", "1", "--tx", "0"]).InvokeAsync());
        // Required options missing: a usage error like any other bad argument (System.CommandLine's own default is 1).
        Assert.Equal(2, await RollupCli.RunAsync(["withdraw", "--block", "1"]));
        Assert.Equal(2, await RollupCli.RunAsync(["withdraw", "--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--bogus", "1"]));
        // The withdrawal named by its hash, or by block and index: one of the two, and a hash that is a hash.
        const string Contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        const string Key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
        var hash = "0x" + new string('a', 64);
        Assert.Equal(2, await RollupCli.RunAsync(["withdraw", "--contract", Contract, "--key", Key]));
        Assert.Equal(2, await RollupCli.RunAsync(["withdraw", "--contract", Contract, "--key", Key, "--block", "1"]));
        Assert.Equal(2, await RollupCli.RunAsync(["withdraw", "--contract", Contract, "--key", Key, "--tx-hash", "0x1234"]));
        Assert.Equal(2, await RollupCli.RunAsync(["withdraw", "--contract", Contract, "--key", Key, "--tx-hash", hash, "--block", "1", "--tx", "0"]));
    }

    [Fact]
    public void BuildHost_L1Defaults_AreTheDocumentedOnes()
    {
        var options = NodeConfiguration.Load(NodeConfiguration.Build(null, new Dictionary<string, string?>()));
        Assert.Null(options.L1Rpc);
        Assert.Equal(2, options.DepositConfirmations);
        Assert.Equal(2, options.ValidatorConfirmations);
        Assert.Equal(2_000, options.BatchIntervalMs);
        Assert.Equal("zstd", options.BatchCodec);
        Assert.Equal("sequencer", options.Role);
    }
}
