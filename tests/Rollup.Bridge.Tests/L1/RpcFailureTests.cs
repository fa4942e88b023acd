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

    // Found by the l1receipt fuzz target: a quantity that is not hex escaped the client as a FormatException.
    [Theory]
    [InlineData("\"status\":\"0x1x2\"")]
    [InlineData("\"status\":\"0x1\",\"from\":\"0x12\"")]
    [InlineData("\"status\":\"0x1\",\"blockHash\":null")]
    public async Task Receipt_MalformedField_IsAProtocolError(string fields)
    {
        var receipt = "{\"transactionHash\":\"0x37eac23662b2822928a6dc8fc09af37777c9aac186a0e0f94fa1352b368b1bba\",\"blockHash\":\"0x1d52a8aabe330df34143afa670bb145e3b1ecfa874e1bec292eca718366f13d3\",\"blockNumber\":\"0x2\",\"gasUsed\":\"0x5208\",\"from\":\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\",\"logs\":[]," + fields + "}";
        using var server = new CannedHttpServer(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + receipt + "}");
        using var client = new L1Client(server.Endpoint, TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<L1ProtocolException>(() => client.GetReceiptAsync(default));
        Assert.Equal("eth_getTransactionReceipt", error.Method);
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
