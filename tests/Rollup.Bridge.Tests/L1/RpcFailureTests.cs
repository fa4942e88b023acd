using System.Net;
using System.Net.Sockets;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.L1;

/// <summary>How transport and protocol failures surface, against real sockets: a closed port, a silent server, canned HTTP answers.</summary>
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
        using var client = new L1RpcClient(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1UnavailableException>(() => client.GetBlockNumberAsync());
        Assert.Equal("eth_blockNumber", error.Method);
        Assert.Contains("cannot reach", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Request_ServerNeverAnswers_TimesOutAsUnavailable()
    {
        using var server = new CannedHttpServer(status: null);
        using var client = new L1RpcClient(server.Endpoint, TimeSpan.FromMilliseconds(300));
        var error = await Assert.ThrowsAsync<L1UnavailableException>(() => client.GetChainIdAsync());
        Assert.Contains("no answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_CallerCancels_IsCancellationNotOutage()
    {
        using var server = new CannedHttpServer(status: null);
        using var client = new L1RpcClient(server.Endpoint, TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetChainIdAsync(cancel.Token));
    }

    [Theory]
    [InlineData(503, "<html>Service Unavailable</html>")]
    [InlineData(502, "")]
    [InlineData(429, """{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"rate limited"}}""")]
    public async Task Request_OutageStatus_IsUnavailable(int status, string body)
    {
        using var server = new CannedHttpServer(status, body);
        using var client = new L1RpcClient(server.Endpoint, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1UnavailableException>(() => client.GetChainIdAsync());
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, "not json", "not JSON")]
    [InlineData(404, "Not Found", "not JSON")]
    [InlineData(200, """{"jsonrpc":"2.0","id":1}""", "neither 'result' nor 'error'")]
    [InlineData(200, """{"jsonrpc":"2.0","id":999,"result":"0x1"}""", "id is not the request's")]
    [InlineData(200, """{"jsonrpc":"2.0","id":1,"result":"12"}""", "expected a hex quantity")]
    [InlineData(200, """{"jsonrpc":"2.0","id":1,"result":"0x10000000000000000"}""", "exceeds 64 bits")]
    public async Task Request_MalformedAnswer_IsProtocolError(int status, string body, string expected)
    {
        using var server = new CannedHttpServer(status, body);
        using var client = new L1RpcClient(server.Endpoint, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1ProtocolException>(() => client.GetChainIdAsync());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receipt_MissingField_NamesIt()
    {
        using var server = new CannedHttpServer(200, """{"jsonrpc":"2.0","id":1,"result":{"transactionHash":"0x0000000000000000000000000000000000000000000000000000000000000001","status":"0x1"}}""");
        using var client = new L1RpcClient(server.Endpoint, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1ProtocolException>(() => client.GetTransactionReceiptAsync(Hash256.Zero));
        Assert.Equal("eth_getTransactionReceipt: 'blockNumber' is missing from the result", error.Message);
    }

    [Fact]
    public async Task Request_RevertWordedAsMinus32000_IsStillARevert()
    {
        // Some nodes answer a revert with -32000 and no data rather than code 3.
        using var server = new CannedHttpServer(200, """{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"execution reverted"}}""");
        using var client = new L1RpcClient(server.Endpoint, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1CallRevertedException>(() => client.CallAsync(new L1CallRequest { To = Address.Zero }, BlockTag.Latest));
        Assert.Equal(RevertKind.Empty, error.Reason.Kind);
        Assert.Equal(-32000, error.Code);
    }
}
