using System.Diagnostics;
using Rollup.Bridge.L1;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

public class AnvilProcessTests
{
    [Fact]
    public async Task StateFile_WrittenOnStop_IsLoadedByTheNextAnvil()
    {
        using var directory = new TempDirectory("anvil-state");
        var state = directory.Combine("state.json");
        ulong height;
        int pid;
        using (var first = await AnvilProcess.StartAsync(chainId: 4242, stateFile: state))
        {
            pid = first.ProcessId;
            using var client = new L1Client(first.Endpoint);
            Assert.Equal(4242UL, await client.GetChainIdAsync());
            await new AnvilRpc(client).MineAsync(7);
            height = await client.GetBlockNumberAsync();
            await first.StopAsync();
        }
        Assert.True(File.Exists(state));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));

        using var second = await AnvilProcess.StartAsync(chainId: 4242, stateFile: state);
        using var again = new L1Client(second.Endpoint);
        Assert.Equal(height, await again.GetBlockNumberAsync());
    }

    [Fact]
    public async Task OldStatesAnvilMovesToDisk_GoWithIt_UnderAHomeOfItsOwn()
    {
        string home;
        using (var anvil = await AnvilProcess.StartAsync())
        {
            home = anvil.Home;
            Assert.NotEqual(Environment.GetEnvironmentVariable("HOME"), home);
            using var client = new L1Client(anvil.Endpoint);
            // Past about 500 blocks anvil starts writing old states to disk (1,000 blocks: about 130 MB).
            await new AnvilRpc(client).MineAsync(1_000);
            Assert.Equal(1_000UL, await client.GetBlockNumberAsync());
            Assert.True(Directory.Exists(Path.Combine(home, ".foundry", "anvil", "tmp")), "anvil keeps its moved states under its own home");
        }
        Assert.False(Directory.Exists(home), "removed with the anvil");
    }

    [Fact]
    public async Task BlockTime_MinesWithoutTransactions_AndDisposeKillsByPid()
    {
        int pid;
        using (var anvil = await AnvilProcess.StartAsync(blockTimeSeconds: 1))
        {
            pid = anvil.ProcessId;
            using var client = new L1Client(anvil.Endpoint);
            var start = await client.GetBlockNumberAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (await client.GetBlockNumberAsync(deadline.Token) == start)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }
}
