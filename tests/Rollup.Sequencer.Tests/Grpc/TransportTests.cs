using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Rollup.Api.Hosting;
using Rollup.Sequencer.Tests.Grpc.Protos;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>Grpc.Net.Client against the node's grpc-dotnet hosting on a real Kestrel at 127.0.0.1:0: call kinds, deadlines, cancellation, errors, limits, gzip.</summary>
[Collection(SharedGrpcServer.Name)]
public sealed class TransportTests(GrpcServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private TestService.TestServiceClient Client => new(fixture.Channel);

    private static DateTime In(TimeSpan timeout) => DateTime.UtcNow + timeout;

    [Fact]
    public async Task Unary_Echo_ReturnsTextAndPayload()
    {
        var reply = await Client.EchoAsync(new EchoRequest { Text = "hello", Payload = ByteString.CopyFrom(1, 2, 3) });
        Assert.Equal("hello", reply.Text);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Payload.ToByteArray());
    }

    [Fact]
    public async Task Unary_LargeMessage_CrossesManyFrames()
    {
        var payload = new byte[1_000_000];
        new Random(7).NextBytes(payload);
        var reply = await Client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(payload) });
        Assert.True(payload.AsSpan().SequenceEqual(reply.Payload.Span));
    }

    [Fact]
    public async Task ServerStreaming_Count_AllRepliesInOrderThenOk()
    {
        using var call = Client.Count(new EchoRequest { Text = "n", Count = 50 });
        var indexes = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(reply.Index);
        }
        Assert.Equal(Enumerable.Range(0, 50), indexes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_Metadata_HeadersAndTrailersCarryIt()
    {
        var headers = new Metadata { { "x-echo-text", "plain value" }, { "x-echo-blob-bin", new byte[] { 0, 1, 2, 255 } } };
        using var call = Client.Count(new EchoRequest { Count = 1 }, headers);
        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("plain value", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, responseHeaders.GetValueBytes("x-echo-blob-bin"));
        while (await call.ResponseStream.MoveNext())
        {
        }
        Assert.Equal("plain value", call.GetTrailers().GetValue("x-echo-text"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, call.GetTrailers().GetValueBytes("x-echo-blob-bin"));
    }

    [Fact]
    public async Task ClientStreaming_Concat_JoinsEveryRequest()
    {
        using var call = Client.Concat();
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
    public async Task Duplex_Chat_EachReplyBeforeTheNextRequest()
    {
        using var call = Client.Chat();
        for (var i = 0; i < 20; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal($"m{i}", call.ResponseStream.Current.Text);
            Assert.Equal(i, call.ResponseStream.Current.Index);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Deadline_HandlerAwaitsToken_DeadlineExceededAndHandlerCanceled()
    {
        var key = Guid.NewGuid().ToString();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.WaitForCancelAsync(new EchoRequest { Text = key }, deadline: In(TimeSpan.FromMilliseconds(200))));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // Client and server both time the deadline; whichever acts first, the handler (if the call
        // reached it before the client gave up, which a loaded machine may not) is canceled.
        if (fixture.Service.StartOf(key).IsCompleted)
        {
            Assert.True(await fixture.Service.CancellationOf(key).WaitAsync(Patience) is "deadline" or "client");
        }
    }

    [Fact]
    public async Task Deadline_PassedBeforeTheCall_DeadlineExceeded()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddSeconds(-1)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Deadline_OnlyTheServerTimesIt_ServerEndsCallWithDeadlineExceeded()
    {
        var key = Guid.NewGuid().ToString();
        using var http = RawGrpc.CreateClient();
        using var request = RawGrpc.Request(fixture.Server.Address, "/rollup.grpc.test.TestService/WaitForCancel", RawGrpc.Frame(new EchoRequest { Text = key }), headers: ("grpc-timeout", "100m"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead).WaitAsync(Patience);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("4", RawGrpc.StatusOf(response).Status);
        }
        catch (HttpRequestException reset) when (reset.InnerException is HttpProtocolException)
        {
            // The server's RST_STREAM may overtake the trailers: also what the spec allows.
        }
        Assert.Equal("deadline", await fixture.Service.CancellationOf(key).WaitAsync(Patience));
    }

    [Fact]
    public async Task Deadline_DuringAServerStream_DeadlineExceededWhileReading()
    {
        // The connection and both ends' code paths warm first, so the deadline runs over streaming, not start-up.
        await Client.EchoAsync(new EchoRequest { Text = "warm" });
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var call = Client.Count(new EchoRequest { Count = int.MaxValue }, deadline: In(TimeSpan.FromMilliseconds(300)));
        var read = 0;
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
                read++;
            }
        });
        // The server times the deadline too (grpc-timeout): its RST_STREAM may overtake the client's own timer, which
        // the client reports as the stream reset (UNAVAILABLE over an HTTP/2 protocol error), as the spec allows.
        if (error.StatusCode != StatusCode.DeadlineExceeded)
        {
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            var cause = error.Status.DebugException;
            while (cause is not null and not System.Net.Http.HttpProtocolException and not IOException)
            {
                cause = cause.InnerException;
            }
            Assert.True(cause is not null, $"unavailable, but not from a reset stream: {error.Status.DebugException}");
        }
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(250), $"ended after {started.Elapsed.TotalMilliseconds:F0} ms, before the deadline");
        Assert.True(read > 0, "no message was read before the deadline");
    }

    [Fact]
    public async Task Cancellation_ClientCancels_HandlerTokenCanceled()
    {
        var key = Guid.NewGuid().ToString();
        using var cts = new CancellationTokenSource();
        var call = Client.WaitForCancelAsync(new EchoRequest { Text = key }, cancellationToken: cts.Token);
        await fixture.Service.StartOf(key).WaitAsync(Patience);
        await cts.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal("client", await fixture.Service.CancellationOf(key).WaitAsync(Patience));
    }

    [Fact]
    public async Task Errors_RpcException_StatusDetailAndTrailersReachTheClient()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.FailAsync(new EchoRequest { Text = "rpc:5:no such thing" }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such thing", error.Status.Detail);
        Assert.Equal("expected", error.Trailers.GetValue("failure-kind"));
    }

    [Fact]
    public async Task Errors_NonAsciiDetail_SurvivesPercentEncoding()
    {
        const string detail = "déjà vu: 100% ✓ — 区块 \u0001";
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.FailAsync(new EchoRequest { Text = "rpc:9:" + detail }));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal(detail, error.Status.Detail);
    }

    [Fact]
    public async Task Errors_HandlerThrows_UnknownWithoutInternals()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.FailAsync(new EchoRequest { Text = "boom" }));
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("Exception was thrown by handler.", error.Status.Detail);
    }

    [Fact]
    public async Task Errors_DetailedErrorsOn_ExceptionMessageIncluded()
    {
        await using var server = await GrpcServerFixture.StartAsync(new TestServiceImpl(), new ApiTestHostOptions { InProcess = true, Calls = calls => calls.EnableDetailedErrors = true });
        using var channel = server.CreateChannel();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await new TestService.TestServiceClient(channel).FailAsync(new EchoRequest { Text = "boom" }));
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("secret internals: boom", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unimplemented_UnknownMethodOrService_Unimplemented()
    {
        var invoker = fixture.Channel.CreateCallInvoker();
        var method = await Assert.ThrowsAsync<RpcException>(async () => await invoker.AsyncUnaryCall(EchoLike("rollup.grpc.test.TestService", "Missing"), null, default, new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, method.StatusCode);
        var service = await Assert.ThrowsAsync<RpcException>(async () => await invoker.AsyncUnaryCall(EchoLike("rollup.grpc.test.Nowhere", "Echo"), null, default, new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, service.StatusCode);
    }

    [Fact]
    public async Task ContentType_NotGrpc_415()
    {
        using var http = RawGrpc.CreateClient();
        using var request = RawGrpc.Request(fixture.Server.Address, "/rollup.grpc.test.TestService/Echo", RawGrpc.Frame(new EchoRequest()), contentType: "application/json");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Concurrency_StreamsPerConnectionLimitOnOneConnection_AllHeldAtOnce()
    {
        // As many calls as one connection may carry (Connections:MaxStreamsPerConnection, 100: it was 1,000, which let
        // one client hold that many idle calls), all at once; a client with more opens another connection (below).
        var limit = new ConnectionLimits().MaxStreamsPerConnection;
        var key = Guid.NewGuid().ToString();
        var group = fixture.Service.CreateHoldGroup(key, limit);
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false } });
        var client = new TestService.TestServiceClient(channel);
        var calls = Enumerable.Range(0, limit).Select(_ => client.HoldAsync(new EchoRequest { Text = key }).ResponseAsync).ToList();
        await group.AllArrived.Task.WaitAsync(Patience);
        Assert.Single(group.Connections);
        Assert.Equal(limit, group.MaxConcurrent);
        group.Release.SetResult();
        var replies = await Task.WhenAll(calls).WaitAsync(Patience);
        Assert.All(replies, reply => Assert.Equal(key, reply.Text));
    }

    [Fact]
    public async Task Concurrency_ServerStreamLimitReached_MultipleConnectionsWhenEnabled()
    {
        const int Calls = 30;
        var service = new TestServiceImpl();
        await using var server = await GrpcServerFixture.StartAsync(service, new ApiTestHostOptions { Listen = new() { Limits = new() { MaxStreamsPerConnection = 10 } } });
        var group = service.CreateHoldGroup("many", Calls);
        using var channel = server.CreateChannel(new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var client = new TestService.TestServiceClient(channel);
        var calls = Enumerable.Range(0, Calls).Select(_ => client.HoldAsync(new EchoRequest { Text = "many" }).ResponseAsync).ToList();
        await group.AllArrived.Task.WaitAsync(Patience);
        Assert.True(group.Connections.Count >= 3, $"{group.Connections.Count} connections");
        Assert.All(group.Connections.Values, streams => Assert.True(streams <= 10));
        group.Release.SetResult();
        await Task.WhenAll(calls).WaitAsync(Patience);
    }

    [Fact]
    public async Task Limits_RequestOverServerLimit_ResourceExhausted()
    {
        await using var server = await GrpcServerFixture.StartAsync(new TestServiceImpl(), new ApiTestHostOptions { Calls = calls => calls.MaxReceiveMessageSize = 1024 });
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var fits = await client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[1000]) });
        Assert.Equal(1000, fits.Payload.Length);
    }

    [Fact]
    public async Task Limits_DefaultServerLimit_4MiB()
    {
        using var channel = fixture.Server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new TestService.TestServiceClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[(4 * 1024 * 1024) + 1]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Limits_ResponseOverServerSendLimit_ResourceExhausted()
    {
        await using var server = await GrpcServerFixture.StartAsync(new TestServiceImpl(), new ApiTestHostOptions { InProcess = true, Calls = calls => calls.MaxSendMessageSize = 1024 });
        using var channel = server.CreateChannel();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await new TestService.TestServiceClient(channel).EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Limits_ResponseOverClientLimit_ResourceExhausted()
    {
        using var channel = fixture.Server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await new TestService.TestServiceClient(channel).EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Limits_RequestOverClientSendLimit_ResourceExhaustedBeforeSending()
    {
        using var channel = fixture.Server.CreateChannel(new GrpcChannelOptions { MaxSendMessageSize = 100 });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await new TestService.TestServiceClient(channel).EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[200]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Gzip_BothWays_CompressedOnTheWireAndDecoded()
    {
        string? requestEncoding = null;
        await using var server = await GrpcServerFixture.StartAsync(new TestServiceImpl(), new ApiTestHostOptions
        {
            Calls = calls => calls.CompressResponses = true,
            Middleware = app => app.Use((context, next) =>
            {
                requestEncoding = context.Request.Headers["grpc-encoding"];
                return next(context);
            }),
        });
        var payload = ByteString.CopyFrom(new byte[100_000]);

        // Requests compressed by the client (grpc-dotnet's per-call switch), responses by the server.
        using var channel = server.CreateChannel();
        using var call = new TestService.TestServiceClient(channel).EchoAsync(new EchoRequest { Payload = payload }, new Metadata { { "grpc-internal-encoding-request", "gzip" } });
        Assert.Equal(payload, (await call).Payload);
        Assert.Equal("gzip", requestEncoding);

        // On the wire: the response message is flagged compressed and is gzip of the reply.
        using var http = RawGrpc.CreateClient();
        using var request = RawGrpc.Request(server.Address, "/rollup.grpc.test.TestService/Echo", RawGrpc.Frame(new EchoRequest { Payload = payload }), headers: ("grpc-accept-encoding", "gzip"));
        using var response = await http.SendAsync(request);
        Assert.Equal("gzip", response.Headers.GetValues("grpc-encoding").Single());
        var (compressed, body) = Assert.Single(RawGrpc.ParseFrames(await response.Content.ReadAsByteArrayAsync()));
        Assert.True(compressed);
        Assert.True(body.Length < 1000);
        using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        Assert.Equal(payload, EchoReply.Parser.ParseFrom(gzip).Payload);
        Assert.Equal("0", RawGrpc.StatusOf(response).Status);
    }

    [Fact]
    public async Task Gzip_ResponsesOffByDefault_UncompressedEvenWhenAccepted()
    {
        using var http = RawGrpc.CreateClient();
        using var request = RawGrpc.Request(fixture.Server.Address, "/rollup.grpc.test.TestService/Echo", RawGrpc.Frame(new EchoRequest { Payload = ByteString.CopyFrom(new byte[10_000]) }), headers: ("grpc-accept-encoding", "gzip"));
        using var response = await http.SendAsync(request);
        Assert.False(response.Headers.Contains("grpc-encoding"));
        var (compressed, body) = Assert.Single(RawGrpc.ParseFrames(await response.Content.ReadAsByteArrayAsync()));
        Assert.False(compressed);
        Assert.Equal(10_000, EchoReply.Parser.ParseFrom(body).Payload.Length);
    }

    private static Method<EchoRequest, EchoReply> EchoLike(string service, string name) =>
        new(MethodType.Unary, service, name, Marshallers.Create(r => r.ToByteArray(), EchoRequest.Parser.ParseFrom), Marshallers.Create(r => r.ToByteArray(), EchoReply.Parser.ParseFrom));
}
