using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Rollup.Grpc.Tests.Protos;

namespace Rollup.Grpc.Tests;

/// <summary>Our client against our server on a real Kestrel bound to 127.0.0.1:0.</summary>
[Collection(SharedGrpcServer.Name)]
public sealed class EndToEndTests(GrpcServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private GrpcChannel Channel => fixture.Channel;

    [Fact]
    public async Task Unary_Echo_ReturnsTextAndPayload()
    {
        var reply = await Channel.UnaryAsync(TestMethods.Echo, new EchoRequest { Text = "hello", Payload = ByteString.CopyFrom(1, 2, 3) });
        Assert.Equal("hello", reply.Text);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Payload.ToByteArray());
    }

    [Fact]
    public async Task Unary_EmptyMessage_ZeroLengthFramesBothWays()
    {
        var reply = await Channel.UnaryAsync(TestMethods.Echo, new EchoRequest());
        Assert.Equal(0, reply.CalculateSize());
    }

    [Fact]
    public async Task Unary_LargeMessage_CrossesManyFrames()
    {
        var payload = new byte[1_000_000];
        new Random(7).NextBytes(payload);
        var reply = await Channel.UnaryAsync(TestMethods.Echo, new EchoRequest { Payload = ByteString.CopyFrom(payload) });
        Assert.True(payload.AsSpan().SequenceEqual(reply.Payload.Span));
    }

    [Fact]
    public async Task ServerStreaming_Count_AllRepliesInOrderThenOk()
    {
        using var call = Channel.ServerStreaming(TestMethods.Count, new EchoRequest { Text = "n", Count = 50 });
        var indexes = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(reply.Index);
        }
        Assert.Equal(Enumerable.Range(0, 50), indexes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_NoReplies_TrailersOnlyOk()
    {
        using var call = Channel.ServerStreaming(TestMethods.Count, new EchoRequest { Count = 0 });
        Assert.False(await call.ResponseStream.MoveNextAsync());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_Metadata_HeadersAndTrailersCarryIt()
    {
        var headers = new Metadata().Add("x-echo-text", "plain value").Add("x-echo-blob-bin", [0, 1, 2, 255]);
        using var call = Channel.ServerStreaming(TestMethods.Count, new EchoRequest { Count = 1 }, new CallOptions(Headers: headers));
        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("plain value", responseHeaders.Get("x-echo-text"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, responseHeaders.GetBytes("x-echo-blob-bin"));
        while (await call.ResponseStream.MoveNextAsync())
        {
        }
        Assert.Equal("plain value", call.GetTrailers().Get("x-echo-text"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, call.GetTrailers().GetBytes("x-echo-blob-bin"));
    }

    [Fact]
    public async Task ClientStreaming_Concat_JoinsEveryRequest()
    {
        using var call = Channel.ClientStreaming(TestMethods.Concat);
        foreach (var text in new[] { "a", "b", "", "d" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text });
        }
        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync;
        Assert.Equal("a,b,,d", reply.Text);
        Assert.Equal(4, reply.Index);
    }

    [Fact]
    public async Task ClientStreaming_NoRequests_EmptyResult()
    {
        using var call = Channel.ClientStreaming(TestMethods.Concat);
        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync;
        Assert.Equal(0, reply.Index);
    }

    [Fact]
    public async Task Duplex_Chat_EachReplyBeforeTheNextRequest()
    {
        using var call = Channel.DuplexStreaming(TestMethods.Chat);
        for (var i = 0; i < 20; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNextAsync());
            Assert.Equal($"m{i}", call.ResponseStream.Current.Text);
            Assert.Equal(i, call.ResponseStream.Current.Index);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNextAsync());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Deadline_HandlerAwaitsToken_DeadlineExceededAndHandlerCanceled()
    {
        var key = Guid.NewGuid().ToString();
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Channel.UnaryAsync(TestMethods.WaitForCancel, new EchoRequest { Text = key }, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(200))));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // Client and server both time the deadline; whichever acts first, the handler (if the call
        // reached it before the client gave up, which a loaded machine may not) is canceled.
        if (fixture.Service.StartOf(key).IsCompleted)
        {
            Assert.True(await fixture.Service.CancellationOf(key).WaitAsync(Patience) is "deadline" or "client");
        }
    }

    [Fact]
    public async Task Deadline_PassedBeforeTheCall_FailsWithoutSending()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Channel.UnaryAsync(TestMethods.Echo, new EchoRequest(), new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1))));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Deadline_OnlyTheServerTimesIt_ServerEndsCallWithDeadlineExceeded()
    {
        var key = Guid.NewGuid().ToString();
        using var http = RawGrpc.CreateClient();
        using var request = RawGrpc.Request(fixture.Server.Address, TestMethods.WaitForCancel.FullName, RawGrpc.Frame(new EchoRequest { Text = key }), headers: ("grpc-timeout", "100m"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead).WaitAsync(Patience);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(("4", "Deadline Exceeded"), RawGrpc.StatusOf(response));
        }
        catch (HttpRequestException reset) when (reset.InnerException is HttpProtocolException { ErrorCode: 8 })
        {
            // The server's RST_STREAM(CANCEL) may overtake the trailers: also what the spec allows.
        }
        Assert.Equal("deadline", await fixture.Service.CancellationOf(key).WaitAsync(Patience));
    }

    [Fact]
    public async Task Cancellation_ClientCancels_HandlerTokenCanceled()
    {
        var key = Guid.NewGuid().ToString();
        using var cts = new CancellationTokenSource();
        var call = Channel.UnaryAsync(TestMethods.WaitForCancel, new EchoRequest { Text = key }, new CallOptions(CancellationToken: cts.Token));
        await fixture.Service.StartOf(key).WaitAsync(Patience);
        await cts.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal("client", await fixture.Service.CancellationOf(key).WaitAsync(Patience));
    }

    [Fact]
    public async Task Errors_RpcException_StatusDetailAndTrailersReachTheClient()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(TestMethods.Fail, new EchoRequest { Text = "rpc:5:no such thing" }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such thing", error.Detail);
        Assert.Equal("expected", error.Trailers.Get("failure-kind"));
    }

    [Fact]
    public async Task Errors_NonAsciiDetail_SurvivesPercentEncoding()
    {
        const string detail = "déjà vu: 100% ✓ — 区块 \u0001";
        var error = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(TestMethods.Fail, new EchoRequest { Text = "rpc:9:" + detail }));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal(detail, error.Detail);
    }

    [Fact]
    public async Task Errors_HandlerThrows_UnknownWithoutInternals()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(TestMethods.Fail, new EchoRequest { Text = "boom" }));
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.DoesNotContain("secret", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unimplemented_UnknownMethodOrService_Unimplemented()
    {
        var method = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(TestMethods.Missing, new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, method.StatusCode);
        Assert.Equal("Method is unimplemented.", method.Detail);
        var service = await Assert.ThrowsAsync<RpcException>(() => Channel.UnaryAsync(TestMethods.NoService, new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, service.StatusCode);
        Assert.Equal("Service is unimplemented.", service.Detail);
    }

    [Fact]
    public async Task Unimplemented_RawRequest_Http200TrailersOnly()
    {
        using var http = RawGrpc.CreateClient();
        using var request = RawGrpc.Request(fixture.Server.Address, "/rollup.grpc.test.Nowhere/Echo", RawGrpc.Frame(new EchoRequest()));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("grpc-status"));
        Assert.Equal("12", RawGrpc.StatusOf(response).Status);
    }

    [Fact]
    public async Task ContentType_NotGrpc_415()
    {
        using var http = RawGrpc.CreateClient();
        using var request = RawGrpc.Request(fixture.Server.Address, TestMethods.Echo.FullName, RawGrpc.Frame(new EchoRequest()), contentType: "application/json");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Concurrency_150StreamsOnOneConnection_AllHeldAtOnce()
    {
        const int Calls = 150;
        var key = Guid.NewGuid().ToString();
        var group = fixture.Service.CreateHoldGroup(key, Calls);
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);
        var calls = Enumerable.Range(0, Calls).Select(_ => channel.UnaryAsync(TestMethods.Hold, new EchoRequest { Text = key })).ToList();
        await group.AllArrived.Task.WaitAsync(Patience);
        Assert.Single(group.Connections);
        Assert.Equal(Calls, group.MaxConcurrent);
        group.Release.SetResult();
        var replies = await Task.WhenAll(calls).WaitAsync(Patience);
        Assert.All(replies, reply => Assert.Equal(key, reply.Text));
    }

    [Fact]
    public async Task Concurrency_ServerStreamLimitReached_MultipleConnectionsWhenEnabled()
    {
        const int Calls = 30;
        var service = new TestServiceImpl();
        await using var server = new GrpcServer(new GrpcServerOptions { MaxStreamsPerConnection = 10, EnableHealth = false, EnableReflection = false }, [service.Definition]);
        await server.StartAsync();
        var group = service.CreateHoldGroup("many", Calls);
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { EnableMultipleHttp2Connections = true });
        var calls = Enumerable.Range(0, Calls).Select(_ => channel.UnaryAsync(TestMethods.Hold, new EchoRequest { Text = "many" })).ToList();
        await group.AllArrived.Task.WaitAsync(Patience);
        Assert.True(group.Connections.Count >= 3, $"{group.Connections.Count} connections");
        Assert.All(group.Connections.Values, streams => Assert.True(streams <= 10));
        group.Release.SetResult();
        await Task.WhenAll(calls).WaitAsync(Patience);
    }

    [Fact]
    public async Task Deadline_DuringAServerStream_DeadlineExceededWhileReading()
    {
        using var call = Channel.ServerStreaming(TestMethods.Count, new EchoRequest { Count = int.MaxValue }, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(300)));
        var read = 0;
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNextAsync())
            {
                read++;
            }
        });
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(read > 0);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Limits_RequestOverServerLimit_ResourceExhausted()
    {
        await using var server = new GrpcServer(new GrpcServerOptions { Calls = { MaxReceiveMessageSize = 1024 }, EnableHealth = false, EnableReflection = false }, [fixture.Service.Definition]);
        await server.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestMethods.Echo, new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var fits = await channel.UnaryAsync(TestMethods.Echo, new EchoRequest { Payload = ByteString.CopyFrom(new byte[1000]) });
        Assert.Equal(1000, fits.Payload.Length);
    }

    [Fact]
    public async Task Limits_ResponseOverClientLimit_ResourceExhausted()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });
        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestMethods.Echo, new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Limits_RequestOverClientSendLimit_ResourceExhaustedBeforeSending()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address, new GrpcChannelOptions { MaxSendMessageSize = 100 });
        var call = channel.UnaryAsync(TestMethods.Echo, new EchoRequest { Payload = ByteString.CopyFrom(new byte[200]) });
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Gzip_BothWays_CompressedOnTheWireAndDecoded()
    {
        string? seenEncoding = null;
        var service = GrpcServiceDefinition.CreateBuilder("rollup.grpc.test.Gzip")
            .AddUnary<EchoRequest, EchoReply>("Echo", EchoRequest.Parser, (request, context) =>
            {
                seenEncoding = context.HttpContext.Request.Headers["grpc-encoding"];
                return Task.FromResult(new EchoReply { Payload = request.Payload });
            })
            .Build();
        await using var server = new GrpcServer(new GrpcServerOptions { Calls = { CompressResponses = true } }, [service]);
        await server.StartAsync();
        var payload = ByteString.CopyFrom(new byte[100_000]);
        var method = new Method<EchoRequest, EchoReply>(MethodType.Unary, "rollup.grpc.test.Gzip", "Echo", EchoRequest.Parser, EchoReply.Parser);

        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { CompressRequests = true });
        var reply = await channel.UnaryAsync(method, new EchoRequest { Payload = payload });
        Assert.Equal(payload, reply.Payload);
        Assert.Equal("gzip", seenEncoding);

        // On the wire: the response frame is flagged compressed and is gzip of the reply.
        using var http = RawGrpc.CreateClient();
        using var request = RawGrpc.Request(server.Address, method.FullName, RawGrpc.Frame(new EchoRequest { Payload = payload }), headers: ("grpc-accept-encoding", "gzip"));
        using var response = await http.SendAsync(request);
        Assert.Equal("gzip", response.Headers.GetValues("grpc-encoding").Single());
        var (compressed, body) = Assert.Single(RawGrpc.ParseFrames(await response.Content.ReadAsByteArrayAsync()));
        Assert.True(compressed);
        Assert.True(body.Length < 1000);
        using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        Assert.Equal(payload, EchoReply.Parser.ParseFrom(gzip).Payload);
        Assert.Equal("0", RawGrpc.StatusOf(response).Status);
    }
}
