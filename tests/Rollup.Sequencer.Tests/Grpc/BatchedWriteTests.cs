using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Rollup.Sequencer.Api;
using Rollup.Sequencer.Tests.Grpc.Protos;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>WriteManyAsync: several messages in order with one flush (BufferHint on all but the last).</summary>
public sealed class BatchedWriteTests
{
    /// <summary>Records the write options each message was written with.</summary>
    private sealed class RecordingWriter : IServerStreamWriter<EchoReply>
    {
        public List<(int Index, WriteFlags Flags)> Writes { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(EchoReply message)
        {
            Writes.Add((message.Index, WriteOptions?.Flags ?? default));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task WriteMany_AllButTheLastBuffered_TheStreamsOwnOptionsRestored()
    {
        var own = new WriteOptions(WriteFlags.NoCompress);
        var writer = new RecordingWriter { WriteOptions = own };
        await writer.WriteManyAsync([.. Enumerable.Range(0, 3).Select(i => new EchoReply { Index = i })]);
        Assert.Equal([(0, WriteFlags.BufferHint), (1, WriteFlags.BufferHint), (2, WriteFlags.NoCompress)], writer.Writes);
        Assert.Same(own, writer.WriteOptions);
    }

    [Fact]
    public async Task WriteMany_Empty_WritesNothing()
    {
        var writer = new RecordingWriter();
        await writer.WriteManyAsync([]);
        Assert.Empty(writer.Writes);
    }

    /// <summary>A server stream written in one WriteManyAsync: the response body is flushed as often as for a single reply, not once per reply.</summary>
    [Fact]
    public async Task WriteMany_OnGrpcDotnet_FlushedOnceLikeOneReply()
    {
        var flushes = new FlushCounts();
        await using var server = await ApiTestHost.StartAsync(
            services => services.AddSingleton<BatchedCount>(),
            endpoints => endpoints.MapGrpcService<BatchedCount>(),
            new ApiTestHostOptions { InProcess = true, Middleware = app => app.Use((context, next) => flushes.CountAsync(context, next)) });
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        async Task<(int Flushes, List<int> Indexes)> Run(string text, int count)
        {
            using var call = client.Count(new EchoRequest { Text = text, Count = count });
            var indexes = new List<int>();
            await foreach (var reply in call.ResponseStream.ReadAllAsync())
            {
                indexes.Add(reply.Index);
            }
            return (flushes.Of(text), indexes);
        }

        var one = await Run("many", 1);
        var many = await Run("many", 5);
        var oneByOne = await Run("one-by-one", 5);
        Assert.Equal([0, 1, 2, 3, 4], many.Indexes);
        Assert.Equal([0, 1, 2, 3, 4], oneByOne.Indexes);
        Assert.Equal(one.Flushes, many.Flushes);
        Assert.True(oneByOne.Flushes >= many.Flushes + 4, $"{oneByOne.Flushes} flushes one by one, {many.Flushes} in one write");
    }

    /// <summary>
    /// A client stream written in one WriteManyAsync (the load generator's bursts) arrives whole and in order.
    /// Grpc.Net.Client 2.85 flushes the request body after every message whatever the write flags (counted
    /// through a wrapping handler: 6 flushes for 5 messages, 2 for one), so on the client the flag is a hint only.
    /// </summary>
    [Fact]
    public async Task WriteMany_OnGrpcNetClient_EveryRequestInOrder()
    {
        await using var server = await ApiTestHost.StartAsync(
            services => services.AddSingleton<TestServiceImpl>(),
            endpoints => endpoints.MapGrpcService<TestServiceImpl>(),
            new ApiTestHostOptions { InProcess = true });
        using var channel = server.CreateChannel();
        using var call = new TestService.TestServiceClient(channel).Concat();
        await call.RequestStream.WriteManyAsync([.. Enumerable.Range(0, 5).Select(i => new EchoRequest { Text = $"t{i}" })]);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "after" });
        await call.RequestStream.CompleteAsync();
        var reply = await call;
        Assert.Equal("t0,t1,t2,t3,t4,after", reply.Text);
        Assert.Equal(6, reply.Index);
    }

    /// <summary>
    /// Through a <see cref="CoalescingRequestHandler"/>, a burst of requests written with WriteManyAsync reaches the
    /// connection in one flush (and one write), a lone message in one flush, and every request arrives in order;
    /// without the handler the same burst takes a flush per message (Grpc.Net.Client 2.85).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WriteMany_OnGrpcNetClient_ThroughCoalescingHandler_OneFlushPerBurst(bool coalescing)
    {
        await using var server = await ApiTestHost.StartAsync(
            services => services.AddSingleton<TestServiceImpl>(),
            endpoints => endpoints.MapGrpcService<TestServiceImpl>());
        var transport = new TransportFlushCounter(new SocketsHttpHandler());
        HttpMessageHandler handler = coalescing ? new CoalescingRequestHandler(transport) : transport;
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(server.Address, new global::Grpc.Net.Client.GrpcChannelOptions { HttpHandler = handler });
        using var call = new TestService.TestServiceClient(channel).Concat();

        await call.RequestStream.WriteManyAsync([.. Enumerable.Range(0, 8).Select(i => new EchoRequest { Text = $"t{i}" })]);
        var afterBurst = transport.Flushes;
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "after" });
        var afterSingle = transport.Flushes;
        await call.RequestStream.CompleteAsync();
        var reply = await call;

        // The client flushes once when the call opens (its headers), then after each message it writes.
        Assert.Equal("t0,t1,t2,t3,t4,t5,t6,t7,after", reply.Text);
        Assert.Equal(coalescing ? 1 + 1 : 1 + 8, afterBurst);
        Assert.Equal(afterBurst + 1, afterSingle);
    }

    /// <summary>Counts the flushes that reach the connection's request body stream.</summary>
    private sealed class TransportFlushCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private FlushCountingStream? _stream;

        public int Flushes => _stream?.Flushes ?? 0;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content)
            {
                request.Content = new CountingContent(content, stream => _stream = stream);
            }
            return base.SendAsync(request, cancellationToken);
        }

        private sealed class CountingContent : HttpContent
        {
            private readonly HttpContent _inner;
            private readonly Action<FlushCountingStream> _opened;

            public CountingContent(HttpContent inner, Action<FlushCountingStream> opened)
            {
                _inner = inner;
                _opened = opened;
                foreach (var header in inner.Headers)
                {
                    Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
            {
                var counting = new FlushCountingStream(stream);
                _opened(counting);
                await _inner.CopyToAsync(counting);
            }

            protected override bool TryComputeLength(out long length)
            {
                length = 0;
                return false;
            }
        }
    }

    /// <summary>Count that writes every reply in one WriteManyAsync, or one at a time when asked by its text.</summary>
    private sealed class BatchedCount : TestService.TestServiceBase
    {
        public override async Task Count(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
        {
            var replies = Enumerable.Range(0, request.Count).Select(i => new EchoReply { Text = request.Text, Index = i }).ToList();
            if (request.Text == "one-by-one")
            {
                foreach (var reply in replies)
                {
                    await responseStream.WriteAsync(reply);
                }
                return;
            }
            await responseStream.WriteManyAsync(replies);
        }
    }

    /// <summary>Counts the flushes of each call's response body, by the request's text (the last call with that text wins).</summary>
    private sealed class FlushCounts
    {
        private readonly Dictionary<string, int> _counts = [];

        public int Of(string text)
        {
            lock (_counts)
            {
                return _counts[text];
            }
        }

        public async Task CountAsync(HttpContext context, RequestDelegate next)
        {
            var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            await using var counting = new FlushCountingStream(original.Stream);
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(counting, original));
            context.Request.EnableBuffering();
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            context.Request.Body.Position = 0;
            var text = EchoRequest.Parser.ParseFrom(body.ToArray().AsSpan(5)).Text;
            await next(context);
            lock (_counts)
            {
                _counts[text] = counting.Flushes;
            }
        }
    }

    private sealed class FlushCountingStream(Stream inner) : Stream
    {
        public int Flushes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
            Flushes++;
            inner.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return inner.FlushAsync(cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
