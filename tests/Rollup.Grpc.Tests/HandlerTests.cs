using System.IO.Compression;
using Google.Protobuf;
using Rollup.Grpc.Tests.Protos;

namespace Rollup.Grpc.Tests;

/// <summary>The call handlers over a fake HttpContext: framing, protocol checks, status mapping, deadlines. No server.</summary>
public sealed class HandlerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TestServiceImpl Service = new();

    private static GrpcMethodDefinition MethodOf(string name) => Service.Definition.Methods.Single(m => m.Name == name);

    private static byte[] EchoFrame(string text) => FakeGrpcCall.Frame(new EchoRequest { Text = text }.ToByteArray());

    private static EchoReply SingleReply(FakeGrpcCall call) => EchoReply.Parser.ParseFrom(Assert.Single(call.ResponseFrames).Payload);

    [Fact]
    public async Task Unary_WholeFrame_ReplyThenOkInTrailers()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync(EchoFrame("hi"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal("hi", SingleReply(call).Text);
        Assert.False(call.TrailersOnly);
        Assert.Equal(StatusCode.OK, call.Status);
        Assert.Equal("application/grpc", call.HttpContext.Response.ContentType);
        Assert.Equal("identity,gzip", call.HttpContext.Response.Headers["grpc-accept-encoding"].ToString());
    }

    [Fact]
    public async Task Unary_FrameArrivesOneByteAtATime_WaitsForTheWholeFrame()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        var frame = EchoFrame("split across many reads");
        var handling = FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        foreach (var b in frame)
        {
            Assert.False(handling.IsCompleted);
            await call.WriteAsync([b]);
        }
        Assert.False(handling.IsCompleted);
        await call.CompleteRequestAsync();
        await handling.WaitAsync(Patience);
        Assert.Equal("split across many reads", SingleReply(call).Text);
        Assert.Equal(StatusCode.OK, call.Status);
    }

    [Fact]
    public async Task Unary_ZeroLengthMessage_IsAValidEmptyRequest()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync(FakeGrpcCall.Frame([]), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.OK, call.Status);
        var (compressed, payload) = Assert.Single(call.ResponseFrames);
        Assert.False(compressed);
        Assert.Empty(payload);
    }

    [Fact]
    public async Task Unary_OversizeHeader_ResourceExhaustedBeforeTheBodyArrives()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        var prefix = FakeGrpcCall.Frame([]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), 5 * 1024 * 1024);
        await call.WriteAsync(prefix);
        // The request body is never completed: the handler must not wait for the 5 MiB.
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call).WaitAsync(Patience);
        Assert.True(call.TrailersOnly);
        Assert.Equal(StatusCode.ResourceExhausted, call.Status);
        Assert.Empty(call.ResponseFrames);
    }

    [Fact]
    public async Task Unary_LimitIsConfigurable_ExactlyAtTheLimitPasses()
    {
        var options = new GrpcServiceOptions { MaxReceiveMessageSize = 10 };
        using var atLimit = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await atLimit.WriteAsync(FakeGrpcCall.Frame(new EchoRequest { Text = "12345678" }.ToByteArray()), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), atLimit, options);
        Assert.Equal(StatusCode.OK, atLimit.Status);

        using var over = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await over.WriteAsync(FakeGrpcCall.Frame(new EchoRequest { Text = "123456789" }.ToByteArray()), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), over, options);
        Assert.Equal(StatusCode.ResourceExhausted, over.Status);
    }

    [Fact]
    public async Task Unary_SendLimit_ResourceExhausted()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync(EchoFrame(new string('x', 100)), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call, new GrpcServiceOptions { MaxSendMessageSize = 50 });
        Assert.Equal(StatusCode.ResourceExhausted, call.Status);
        Assert.Empty(call.ResponseFrames);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task Unary_TruncatedBody_Internal(int missing)
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        var frame = EchoFrame("truncated");
        await call.WriteAsync(frame[..^missing], complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.Internal, call.Status);
        Assert.Contains("Incomplete", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_TruncatedPrefix_Internal()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync([0, 0, 0], complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.Internal, call.Status);
    }

    [Fact]
    public async Task Unary_NoMessage_Internal()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.CompleteRequestAsync();
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.True(call.TrailersOnly);
        Assert.Equal(StatusCode.Internal, call.Status);
    }

    [Fact]
    public async Task Unary_TwoMessages_Internal()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync([.. EchoFrame("one"), .. EchoFrame("two")], complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.Internal, call.Status);
        Assert.Contains("Additional data", call.Message, StringComparison.Ordinal);
        Assert.Empty(call.ResponseFrames);
    }

    [Fact]
    public async Task Unary_TrailingBytesAfterTheMessage_Internal()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync([.. EchoFrame("one"), 0, 0], complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.Internal, call.Status);
    }

    [Fact]
    public async Task Unary_InvalidCompressedFlag_Internal()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync(FakeGrpcCall.Frame(new EchoRequest { Text = "x" }.ToByteArray(), flag: 2), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.Internal, call.Status);
    }

    [Fact]
    public async Task Unary_GarbageProtobuf_Internal()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync(FakeGrpcCall.Frame([0xFF, 0xFF, 0xFF]), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.Internal, call.Status);
    }

    [Fact]
    public async Task Compression_GzipRequest_Decoded()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo", headers: ("grpc-encoding", "gzip"));
        await call.WriteAsync(FakeGrpcCall.Frame(Gzip(new EchoRequest { Text = "packed" }.ToByteArray()), flag: 1), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.OK, call.Status);
        Assert.Equal("packed", SingleReply(call).Text);
    }

    [Fact]
    public async Task Compression_UnsupportedEncoding_UnimplementedListingWhatIsAccepted()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo", headers: ("grpc-encoding", "snappy"));
        await call.WriteAsync(FakeGrpcCall.Frame([1, 2, 3], flag: 1), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.Unimplemented, call.Status);
        Assert.Equal("identity,gzip", call.HttpContext.Response.Headers["grpc-accept-encoding"].ToString());
    }

    [Fact]
    public async Task Compression_FlagWithoutEncoding_Internal()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync(FakeGrpcCall.Frame(Gzip(new EchoRequest { Text = "x" }.ToByteArray()), flag: 1), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.Internal, call.Status);
    }

    [Fact]
    public async Task Compression_DecompressesPastTheLimit_ResourceExhausted()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo", headers: ("grpc-encoding", "gzip"));
        var bomb = Gzip(new EchoRequest { Payload = ByteString.CopyFrom(new byte[8 * 1024 * 1024]) }.ToByteArray());
        Assert.True(bomb.Length < 64 * 1024);
        await call.WriteAsync(FakeGrpcCall.Frame(bomb, flag: 1), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.ResourceExhausted, call.Status);
    }

    [Fact]
    public async Task Compression_ResponsesWhenAcceptedAndEnabled_CompressedFlagSet()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo", headers: ("grpc-accept-encoding", "identity, gzip"));
        await call.WriteAsync(EchoFrame(new string('z', 500)), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call, new GrpcServiceOptions { CompressResponses = true });
        Assert.Equal("gzip", call.HttpContext.Response.Headers["grpc-encoding"].ToString());
        var (compressed, payload) = Assert.Single(call.ResponseFrames);
        Assert.True(compressed);
        Assert.Equal(new string('z', 500), EchoReply.Parser.ParseFrom(Gunzip(payload)).Text);
    }

    [Fact]
    public async Task Compression_ClientDoesNotAcceptGzip_Uncompressed()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo");
        await call.WriteAsync(EchoFrame("plain"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call, new GrpcServiceOptions { CompressResponses = true });
        Assert.False(call.HttpContext.Response.Headers.ContainsKey("grpc-encoding"));
        Assert.False(Assert.Single(call.ResponseFrames).Compressed);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/grpc+json")]
    [InlineData("application/grpcx")]
    [InlineData(null)]
    public async Task ContentType_NotGrpcProto_415AndHandlerNotRun(string? contentType)
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo", contentType);
        await call.WriteAsync(EchoFrame("x"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(415, call.HttpContext.Response.StatusCode);
        Assert.Empty(call.ResponseFrames);
    }

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/GRPC; charset=utf-8")]
    public async Task ContentType_GrpcVariants_Accepted(string contentType)
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo", contentType);
        await call.WriteAsync(EchoFrame("x"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.OK, call.Status);
    }

    [Theory]
    [InlineData("HTTP/1.1")]
    [InlineData("HTTP/1.0")]
    public async Task Protocol_NotHttp2_426(string protocol)
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo", protocol: protocol);
        await call.WriteAsync(EchoFrame("x"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(426, call.HttpContext.Response.StatusCode);
        Assert.Empty(call.ResponseFrames);
    }

    [Fact]
    public async Task Unimplemented_UnknownMethod_Http200TrailersOnly()
    {
        var registry = new GrpcServiceRegistry();
        registry.Add(Service.Definition);
        var handler = new UnimplementedCallHandler(new ServerMethodSettings(new GrpcServiceOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance), registry.IsRegistered);
        using var known = new FakeGrpcCall("/rollup.grpc.test.TestService/Nope");
        await known.WriteAsync(EchoFrame("x"), complete: true);
        await known.RunAsync(handler);
        Assert.Equal(200, known.HttpContext.Response.StatusCode);
        Assert.True(known.TrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, known.Status);
        Assert.Equal("Method is unimplemented.", known.Message);

        using var unknown = new FakeGrpcCall("/no.Such/Nope");
        await unknown.WriteAsync(EchoFrame("x"), complete: true);
        await unknown.RunAsync(handler);
        Assert.Equal(StatusCode.Unimplemented, unknown.Status);
        Assert.Equal("Service is unimplemented.", unknown.Message);
    }

    [Fact]
    public async Task Errors_RpcException_ItsStatusDetailAndTrailers()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Fail");
        await call.WriteAsync(EchoFrame("rpc:7:not yours"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Fail"), call);
        Assert.True(call.TrailersOnly);
        Assert.Equal(StatusCode.PermissionDenied, call.Status);
        Assert.Equal("not yours", call.Message);
        Assert.Equal("expected", call.HttpContext.Response.Headers["failure-kind"].ToString());
    }

    [Fact]
    public async Task Errors_OtherException_UnknownWithASafeMessage()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Fail");
        await call.WriteAsync(EchoFrame("boom"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Fail"), call);
        Assert.Equal(StatusCode.Unknown, call.Status);
        Assert.Equal("Exception was thrown by handler.", call.Message);
    }

    [Fact]
    public async Task Errors_DetailedErrorsOn_ExceptionMessageIncluded()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Fail");
        await call.WriteAsync(EchoFrame("boom"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Fail"), call, new GrpcServiceOptions { EnableDetailedErrors = true });
        Assert.Equal(StatusCode.Unknown, call.Status);
        Assert.Contains("InvalidOperationException: secret internals: boom", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_NonAsciiAndPercent_PercentEncodedOnTheWire()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Fail");
        await call.WriteAsync(EchoFrame("rpc:3:50% é"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Fail"), call);
        Assert.Equal("50%25 %C3%A9", call.RawMessage);
        Assert.Equal("50% é", call.Message);
    }

    [Fact]
    public async Task Errors_AfterMessagesWereSent_StatusInTrailers()
    {
        var failing = GrpcServiceDefinition.CreateBuilder("t.S")
            .AddServerStreaming<EchoRequest, EchoReply>("Fail", EchoRequest.Parser, async (request, responses, context) =>
            {
                await responses.WriteAsync(new EchoReply { Text = "first" });
                throw new RpcException(StatusCode.Aborted, "midway");
            })
            .Build();
        using var call = new FakeGrpcCall("/t.S/Fail");
        await call.WriteAsync(EchoFrame("x"), complete: true);
        await FakeGrpcCall.RunAsync(failing.Methods[0], call);
        Assert.False(call.TrailersOnly);
        Assert.Equal("first", SingleReply(call).Text);
        Assert.Equal(StatusCode.Aborted, call.Status);
        Assert.Equal("midway", call.Message);
    }

    [Fact]
    public async Task Deadline_Exceeded_DeadlineExceededThenStreamResetWithCancel()
    {
        var key = Guid.NewGuid().ToString();
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/WaitForCancel", headers: ("grpc-timeout", "50m"));
        await call.WriteAsync(EchoFrame(key), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("WaitForCancel"), call).WaitAsync(Patience);
        Assert.Equal("deadline", await Service.CancellationOf(key).WaitAsync(Patience));
        Assert.True(call.TrailersOnly);
        Assert.Equal(StatusCode.DeadlineExceeded, call.Status);
        Assert.Equal(8, call.Reset.ErrorCode);
    }

    [Fact]
    public async Task Deadline_WhileStreaming_WritesStopAndStatusIsDeadlineExceeded()
    {
        var wrote = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? afterDeadline = null;
        var service = GrpcServiceDefinition.CreateBuilder("t.S")
            .AddServerStreaming<EchoRequest, EchoReply>("Stream", EchoRequest.Parser, async (request, responses, context) =>
            {
                await responses.WriteAsync(new EchoReply { Text = "before" });
                wrote.SetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
                afterDeadline = await Record.ExceptionAsync(() => responses.WriteAsync(new EchoReply { Text = "after" }));
            })
            .Build();
        using var call = new FakeGrpcCall("/t.S/Stream", headers: ("grpc-timeout", "100m"));
        await call.WriteAsync(EchoFrame("x"), complete: true);
        await FakeGrpcCall.RunAsync(service.Methods[0], call).WaitAsync(Patience);
        Assert.Equal("before", SingleReply(call).Text);
        Assert.False(call.TrailersOnly);
        Assert.Equal(StatusCode.DeadlineExceeded, call.Status);
        Assert.Equal(8, call.Reset.ErrorCode);
        Assert.NotNull(afterDeadline);
    }

    [Fact]
    public async Task Deadline_InvalidHeader_IgnoredAndCallRuns()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Echo", headers: ("grpc-timeout", "soon"));
        await call.WriteAsync(EchoFrame("x"), complete: true);
        await FakeGrpcCall.RunAsync(MethodOf("Echo"), call);
        Assert.Equal(StatusCode.OK, call.Status);
    }

    [Fact]
    public async Task Cancellation_ClientResets_HandlerTokenCanceledAndCancelled()
    {
        var key = Guid.NewGuid().ToString();
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/WaitForCancel");
        await call.WriteAsync(EchoFrame(key), complete: true);
        var handling = FakeGrpcCall.RunAsync(MethodOf("WaitForCancel"), call);
        await Service.StartOf(key).WaitAsync(Patience);
        call.Abort();
        await handling.WaitAsync(Patience);
        Assert.Equal("client", await Service.CancellationOf(key));
        Assert.Equal(StatusCode.Cancelled, call.Status);
        Assert.Null(call.Reset.ErrorCode);
    }

    [Fact]
    public async Task ClientStreaming_MessagesSplitAcrossWrites_AllRead()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.TestService/Concat");
        var handling = FakeGrpcCall.RunAsync(MethodOf("Concat"), call);
        byte[] all = [.. EchoFrame("a"), .. FakeGrpcCall.Frame([]), .. EchoFrame("c")];
        for (var i = 0; i < all.Length; i += 3)
        {
            await call.WriteAsync(all[i..Math.Min(i + 3, all.Length)]);
        }
        await call.CompleteRequestAsync();
        await handling.WaitAsync(Patience);
        var reply = SingleReply(call);
        Assert.Equal("a,,c", reply.Text);
        Assert.Equal(3, reply.Index);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
