using System.Diagnostics;
using System.Net;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Node.Tests.Http;

/// <summary>One real node process for the HTTP/JSON API tests, with a dev deposit for <see cref="Trader"/> already in a block.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class HttpApiNode : IAsyncLifetime
{
    public const long Deposit = 7_654_321;

    public static readonly PrivateKey Trader = ChainFlowGenerator.KeyOf(0x4711);

    private readonly TempDirectory _directory = new("rollup-http");

    public NodeProcess Node { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public Uri Url(string path) => new(Node.HttpAddress, path);

    public async Task InitializeAsync()
    {
        Node = await NodeProcess.StartAsync(_directory.Path, new Dictionary<string, string> { ["ROLLUP__NODE__DEVDEPOSITS__0"] = $"{Trader.Address}:{Deposit}" });
        // The node serves before its first block may have run: wait for the deposit's account itself (a read, no fixed delay).
        var deadline = Stopwatch.StartNew();
        while ((await Http.GetAsync(Url($"/v1/accounts/{Trader.Address}"))).StatusCode == HttpStatusCode.NotFound)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the dev deposit never reached a block:\n" + Node.Output);
            await Task.Yield();
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Node.StopAsync();
        Node.Dispose();
        _directory.Dispose();
    }
}
