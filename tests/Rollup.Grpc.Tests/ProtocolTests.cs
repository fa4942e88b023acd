using System.IO.Pipelines;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rollup.Grpc.Tests.Protos;

namespace Rollup.Grpc.Tests;

/// <summary>The pieces of the wire protocol on their own: grpc-timeout, grpc-message, the frame reader, metadata.</summary>
public sealed class ProtocolTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("7u", 70L)]
    [InlineData("100n", 1L)]
    [InlineData("1n", 1L)]
    [InlineData("150n", 2L)]
    [InlineData("0S", 0L)]
    [InlineData("00000005S", 50_000_000L)]
    [InlineData("99999999H", 99_999_999L * 36_000_000_000L)]
    public void Timeout_EveryUnit_Parsed(string header, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("5")]
    [InlineData("123456789S")]
    [InlineData("-5S")]
    [InlineData("+5S")]
    [InlineData("5 S")]
    [InlineData(" 5S")]
    [InlineData("5s")]
    [InlineData("5h")]
    [InlineData("5ms")]
    [InlineData("1.5S")]
    [InlineData("5X")]
    [InlineData("５S")]
    public void Timeout_NotInTheGrammar_Rejected(string header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Theory]
    [InlineData(1L, "1u")]
    [InlineData(10L, "1u")]
    [InlineData(11L, "2u")]
    [InlineData(10_000L, "1000u")]
    [InlineData(999_999_990L, "99999999u")]
    [InlineData(1_000_000_000L, "100000m")]
    [InlineData(0L, "1n")]
    [InlineData(-5L, "1n")]
    public void Timeout_Format_FinestUnitThatFitsRoundedUp(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Timeout_FormatThenParse_NeverShorterAndAtMostEightDigits()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<PositiveInt>(), ArbMap.Default.ArbFor<PositiveInt>(), (high, low) =>
        {
            var ticks = ((long)high.Get * int.MaxValue) + low.Get;
            var formatted = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));
            return formatted.Length <= 9 && GrpcTimeout.TryParse(formatted, out var parsed) && parsed.Ticks >= ticks;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("é", "%C3%A9")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("~ ok", "~ ok")]
    [InlineData("区", "%E5%8C%BA")]
    [InlineData("😀", "%F0%9F%98%80")]
    public void PercentEncoding_Encode_OnlyPrintableAsciiLeftAsIs(string message, string encoded)
    {
        Assert.Equal(encoded, PercentEncoding.Encode(message));
        Assert.Equal(message, PercentEncoding.Decode(encoded));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("50%", "50%")]
    [InlineData("%G1", "%G1")]
    [InlineData("%4", "%4")]
    [InlineData("%c3%a9", "é")]
    [InlineData("%FF", "\uFFFD")]
    public void PercentEncoding_DecodeInvalid_NeverThrows(string encoded, string decoded)
    {
        Assert.Equal(decoded, PercentEncoding.Decode(encoded));
    }

    [Fact]
    public void PercentEncoding_AnyString_RoundTripsAndStaysInTheGrammar()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), text =>
        {
            // Lone surrogates are not Unicode text: UTF-8 cannot carry them.
            var message = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text.Get));
            var encoded = PercentEncoding.Encode(message);
            return encoded.All(c => c is >= ' ' and <= '~') && PercentEncoding.Decode(encoded) == message;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task Reader_PrefixOneByteAtATime_CompletesOnlyWithTheLastByte()
    {
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        var reader = new GrpcMessageReader(pipe.Reader, 1024, null);
        var frame = FakeGrpcCall.Frame(new EchoRequest { Text = "abc" }.ToByteArray());
        var read = reader.ReadMessageAsync(EchoRequest.Parser, default);
        for (var i = 0; i < frame.Length; i++)
        {
            Assert.False(read.IsCompleted, $"completed after {i} of {frame.Length} bytes");
            await pipe.Writer.WriteAsync(frame.AsMemory(i, 1));
        }
        Assert.Equal("abc", (await read)!.Text);
    }

    [Fact]
    public async Task Reader_ManyFramesInOneBuffer_EachReadInTurnThenEnd()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 1024, null);
        byte[] all = [.. FakeGrpcCall.Frame(new EchoRequest { Text = "1" }.ToByteArray()), .. FakeGrpcCall.Frame([]), .. FakeGrpcCall.Frame(new EchoRequest { Text = "3" }.ToByteArray())];
        await pipe.Writer.WriteAsync(all);
        await pipe.Writer.CompleteAsync();
        Assert.Equal("1", (await reader.ReadMessageAsync(EchoRequest.Parser, default))!.Text);
        Assert.Equal("", (await reader.ReadMessageAsync(EchoRequest.Parser, default))!.Text);
        Assert.Equal("3", (await reader.ReadMessageAsync(EchoRequest.Parser, default))!.Text);
        Assert.Null(await reader.ReadMessageAsync(EchoRequest.Parser, default));
    }

    [Fact]
    public async Task Reader_OversizePrefix_ThrowsWithoutWaitingForTheBody()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 100, null);
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 101 });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadMessageAsync(EchoRequest.Parser, default));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void Writer_LargeMessage_SameBytesAsContiguous()
    {
        var message = new EchoRequest { Payload = ByteString.CopyFrom(new byte[20_000]), Text = "big" };
        using var output = new PooledBufferWriter(16);
        GrpcMessageWriter.Write(output, message, null, null);
        Assert.Equal(FakeGrpcCall.Frame(message.ToByteArray()), output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("Key-Name", "key-name")]
    [InlineData("x.y_z-0", "x.y_z-0")]
    public void Metadata_Keys_LowerCased(string key, string stored)
    {
        Assert.Equal(stored, new Metadata().Add(key, "v")[0].Key);
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("bad:key")]
    [InlineData("")]
    public void Metadata_InvalidKey_Rejected(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Metadata().Add(key, "v"));
    }

    [Fact]
    public void Metadata_Binary_UnpaddedBase64BothWays()
    {
        var metadata = new Metadata().Add("blob-bin", [1, 2, 3, 4]);
        Assert.Equal("AQIDBA", metadata[0].Value);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, metadata.GetBytes("blob-bin"));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("blob-bin", "text"));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("text", [1]));
    }

    [Fact]
    public void Kestrel_ListenGrpc_Http2LimitsAndKeepAliveFromOptions()
    {
        var kestrel = new KestrelServerOptions();
        kestrel.ListenGrpc(new GrpcServerOptions { MaxStreamsPerConnection = 1234, KeepAlivePingDelay = TimeSpan.FromSeconds(7), KeepAlivePingTimeout = TimeSpan.FromSeconds(3) });
        Assert.Equal(1234, kestrel.Limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(7), kestrel.Limits.Http2.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), kestrel.Limits.Http2.KeepAlivePingTimeout);

        var defaults = new KestrelServerOptions();
        defaults.ListenGrpc(new GrpcServerOptions { KeepAlivePingDelay = null });
        Assert.Equal(1000, defaults.Limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(TimeSpan.MaxValue, defaults.Limits.Http2.KeepAlivePingDelay);
    }

    [Fact]
    public void Options_AddGrpc_BoundFromTheGrpcSectionThenTheCallback()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grpc:MaxReceiveMessageSize"] = "1234",
            ["Grpc:CompressResponses"] = "true",
            ["Grpc:MaxSendMessageSize"] = "99",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddGrpc(options => options.MaxSendMessageSize = 100);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        Assert.Equal(1234, options.MaxReceiveMessageSize);
        Assert.True(options.CompressResponses);
        Assert.Equal(100, options.MaxSendMessageSize);

        using var bare = new ServiceCollection().AddGrpc().BuildServiceProvider();
        Assert.Equal(4 * 1024 * 1024, bare.GetRequiredService<IOptions<GrpcServiceOptions>>().Value.MaxReceiveMessageSize);
    }

    [Fact]
    public void Definition_MethodKindDiffersFromTheProto_Rejected()
    {
        var wrongKind = new Method<EchoRequest, EchoReply>(MethodType.ServerStreaming, TestMethods.Descriptor.FullName, "Echo", EchoRequest.Parser, EchoReply.Parser);
        Assert.Throws<ArgumentException>(() => GrpcServiceDefinition.CreateBuilder(TestMethods.Descriptor).AddServerStreaming(wrongKind, (r, s, c) => Task.CompletedTask));
        Assert.Throws<ArgumentException>(() => GrpcServiceDefinition.CreateBuilder(TestMethods.Descriptor).AddUnary(TestMethods.Missing, (r, c) => Task.FromResult(new EchoReply())));
    }
}
