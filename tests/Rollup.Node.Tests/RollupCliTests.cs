using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

        using var fromFile = RollupCli.BuildHost(file, new Dictionary<string, string?>());
        var options = fromFile.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
        Assert.Equal("/from/file", options.DataDir);
        Assert.Equal(5UL, options.ChainId);

        using var withFlag = RollupCli.BuildHost(file, new Dictionary<string, string?> { ["Node:ChainId"] = "77" });
        var overridden = withFlag.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
        Assert.Equal("/from/file", overridden.DataDir);
        Assert.Equal(77UL, overridden.ChainId);
    }

    [Fact]
    public void BuildHost_NoSources_DocumentedDefaults()
    {
        using var host = RollupCli.BuildHost(null, new Dictionary<string, string?>());
        var options = host.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
        Assert.Equal(Path.Combine(".rollup", "node"), options.DataDir);
        Assert.Equal(31337UL, options.ChainId);
    }
}
