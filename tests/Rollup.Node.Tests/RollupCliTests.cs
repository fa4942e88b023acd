using Rollup.Node.Cli;
using Rollup.Node.Hosting;
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
}
