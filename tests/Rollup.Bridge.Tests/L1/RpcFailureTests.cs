using System.Net;
using System.Net.Sockets;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;

namespace Rollup.Bridge.Tests.L1;

/// <summary>How transport and node failures surface through Nethereum as our L1 exceptions, against real sockets: a closed port, a silent server, canned HTTP answers.</summary>
public class RpcFailureTests
{
    [Fact]
    public async Task Request_ConnectionRefused_IsUnavailable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var client = new L1Client(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1UnavailableException>(() => client.GetBlockNumberAsync());
        Assert.Equal("eth_blockNumber", error.Method);
        Assert.Contains("cannot reach", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Request_ServerNeverAnswers_TimesOutAsUnavailable()
    {
        using var server = new CannedHttpServer(status: null);
        using var client = new L1Client(server.Endpoint, TimeSpan.FromMilliseconds(300));
        var error = await Assert.ThrowsAsync<L1UnavailableException>(() => client.GetChainIdAsync());
        Assert.Contains("no answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_CallerCancels_IsCancellationNotOutage()
    {
        using var server = new CannedHttpServer(status: null);
        using var client = new L1Client(server.Endpoint, TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetChainIdAsync(cancel.Token));
    }

    [Theory]
    [InlineData(503, "<html>Service Unavailable</html>")]
    [InlineData(502, "")]
    [InlineData(429, """{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"rate limited"}}""")]
    [InlineData(200, "not json")]
    public async Task Request_OutageOrGarbage_IsUnavailable(int status, string body)
    {
        using var server = new CannedHttpServer(status, body);
        using var client = new L1Client(server.Endpoint, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1UnavailableException>(() => client.GetChainIdAsync());
        Assert.Equal("eth_chainId", error.Method);
        Assert.Contains($"cannot reach {server.Endpoint}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_RevertWordedAsMinus32000_IsStillARevert()
    {
        // Some nodes answer a revert with -32000 and no data rather than code 3.
        using var server = new CannedHttpServer(200, """{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"execution reverted"}}""");
        using var client = new L1Client(server.Endpoint, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1CallRevertedException>(() => client.RunAsync("eth_call", eth => eth.Transactions.Call.SendRequestAsync(new CallInput("0x", "0x0000000000000000000000000000000000000001"), BlockParameter.CreateLatest())));
        Assert.Equal(RevertKind.Empty, error.Reason.Kind);
    }

    [Fact]
    public async Task Request_NodeError_CarriesCodeAndMessage()
    {
        using var server = new CannedHttpServer(200, """{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params","data":"nonce too low"}}""");
        using var client = new L1Client(server.Endpoint, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1RpcException>(() => client.GetBlockNumberAsync());
        Assert.Equal((-32602, "invalid params"), (error.Code, error.RpcMessage));
        Assert.Equal("eth_blockNumber: error -32602: invalid params (data nonce too low)", error.Message);
    }
}
