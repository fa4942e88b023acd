using Google.Protobuf;
using Microsoft.AspNetCore.Http.Features;
using Rollup.Grpc.Tests.Protos;

namespace Rollup.Grpc.Tests;

/// <summary>WriteManyAsync: several messages in order with one flush, on the server's response stream and the client's request stream.</summary>
public sealed class BatchedWriteTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Counts flushes of the response body, so a test sees how many sends a handler asked for.</summary>
    private sealed class FlushCountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override void Flush()
        {
            Flushes++;
            base.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return base.FlushAsync(cancellationToken);
        }
    }

    private static GrpcMethodDefinition CountInOneWrite() =>
        GrpcServiceDefinition.CreateBuilder("rollup.grpc.test.Batched")
            .AddServerStreaming<EchoRequest, EchoReply>("Count", EchoRequest.Parser, (request, responses, _) =>
                responses.WriteManyAsync(Enumerable.Range(0, request.Count).Select(i => new EchoReply { Text = request.Text, Index = i }).ToList()))
            .Build()
            .Methods.Single();

    private static GrpcMethodDefinition CountOneByOne() =>
        GrpcServiceDefinition.CreateBuilder("rollup.grpc.test.Batched")
            .AddServerStreaming<EchoRequest, EchoReply>("Count", EchoRequest.Parser, async (request, responses, _) =>
            {
                for (var i = 0; i < request.Count; i++)
                {
                    await responses.WriteAsync(new EchoReply { Text = request.Text, Index = i });
                }
            })
            .Build()
            .Methods.Single();

    /// <summary>Runs a Count call for <paramref name="count"/> replies: the flushes of the response body the handler caused, and the replies.</summary>
    private static async Task<(int Flushes, List<EchoReply> Replies)> RunCount(GrpcMethodDefinition method, int count)
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.Batched/Count");
        using var body = new FlushCountingStream();
        call.HttpContext.Features.Set<IHttpResponseBodyFeature>(new Microsoft.AspNetCore.Http.StreamResponseBodyFeature(body));
        await call.WriteAsync(FakeGrpcCall.Frame(new EchoRequest { Text = "x", Count = count }.ToByteArray()), complete: true);
        await method.CreateHandler(new ServerMethodSettings(FakeGrpcCall.DefaultOptions, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
            .HandleCallAsync(call.HttpContext).WaitAsync(Patience);
        // Counted before the response is completed: that flush is the server's end of the call, not the handler's.
        var flushes = body.Flushes;
        await call.HttpContext.Response.CompleteAsync();
        return (flushes, RawGrpc.ParseFrames(body.ToArray()).Select(f => EchoReply.Parser.ParseFrom(f.Payload)).ToList());
    }

    [Fact]
    public async Task ServerWriteMany_ThreeReplies_AllFramesInOrder_FlushedOnceLikeOneReply()
    {
        var (one, _) = await RunCount(CountInOneWrite(), 1);
        var (three, replies) = await RunCount(CountInOneWrite(), 3);
        Assert.Equal(one, three);
        Assert.Equal([0, 1, 2], replies.Select(r => r.Index));
        Assert.All(replies, r => Assert.Equal("x", r.Text));

        // The control: written one by one, each reply is flushed on its own, and the counter sees that.
        var (oneByOne1, _) = await RunCount(CountOneByOne(), 1);
        var (oneByOne3, sameReplies) = await RunCount(CountOneByOne(), 3);
        Assert.True(oneByOne3 > oneByOne1, $"{oneByOne3} flushes for 3 replies one by one, {oneByOne1} for 1");
        Assert.Equal(oneByOne1, one);
        Assert.Equal(replies.Select(r => r.Index), sameReplies.Select(r => r.Index));
    }

    [Fact]
    public async Task ServerWriteMany_Empty_WritesNothingAndCallEndsOk()
    {
        using var call = new FakeGrpcCall("/rollup.grpc.test.Batched/Count");
        await call.WriteAsync(FakeGrpcCall.Frame(new EchoRequest { Text = "x", Count = 0 }.ToByteArray()), complete: true);
        await FakeGrpcCall.RunAsync(CountInOneWrite(), call).WaitAsync(Patience);
        Assert.Empty(call.ResponseFrames);
        Assert.Equal(StatusCode.OK, call.Status);
    }

    [Collection(SharedGrpcServer.Name)]
    public sealed class OverTheWire(GrpcServerFixture fixture)
    {
        [Fact]
        public async Task ClientWriteMany_ThenOneByOne_ServerSeesEveryRequestInOrder()
        {
            using var call = fixture.Channel.ClientStreaming(TestMethods.Concat);
            await call.RequestStream.WriteManyAsync([new EchoRequest { Text = "a" }, new EchoRequest { Text = "b" }, new EchoRequest { Text = "c" }]);
            await call.RequestStream.WriteAsync(new EchoRequest { Text = "d" });
            await call.RequestStream.WriteManyAsync([new EchoRequest { Text = "e" }]);
            await call.RequestStream.CompleteAsync();
            var reply = await call.ResponseAsync.WaitAsync(Patience);
            Assert.Equal("a,b,c,d,e", reply.Text);
            Assert.Equal(5, reply.Index);
        }

        [Fact]
        public async Task ClientWriteMany_AfterComplete_Refused()
        {
            using var call = fixture.Channel.ClientStreaming(TestMethods.Concat);
            await call.RequestStream.CompleteAsync();
            await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteManyAsync([new EchoRequest { Text = "late" }]));
            Assert.Equal(0, (await call.ResponseAsync.WaitAsync(Patience)).Index);
        }
    }
}
