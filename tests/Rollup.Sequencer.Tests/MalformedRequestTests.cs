using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Api;
using Rollup.Sequencer.Tests.Grpc;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// Bytes that are no protobuf message, sent as the one message of a unary call over a real HTTP/2 connection to Kestrel:
/// INVALID_ARGUMENT with a sentence naming the message type, as submission.proto promises (grpc-dotnet's own answer
/// is not that).
/// </summary>
public sealed class MalformedRequestTests
{
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };

    public static TheoryData<string, string, string> Calls() => new()
    {
        // Field 1 with wire type 7, which protobuf does not have.
        { "/rollup.v1.Submission/Submit", "0F0102", "rollup.v1.SubmitRequest" },
        // Field 1, length-delimited, claims 5 bytes and has 1.
        { "/rollup.v1.Submission/Submit", "0A0501", "rollup.v1.SubmitRequest" },
        { "/rollup.v1.Query/GetAccount", "0F0102", "rollup.v1.GetAccountRequest" },
        { "/rollup.v1.Query/GetReceiptBySequence", "08FFFFFFFFFFFFFFFFFFFF01", "rollup.v1.GetReceiptBySequenceRequest" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_unary_call_whose_message_does_not_decode_is_invalid_argument_with_a_sentence(string path, string hex, string type)
    {
        using var directory = new TempDirectory("rollup-malformed");
        await using var sequencer = Sequencer.Start(new SequencerOptions { DataDir = directory.Path, Engine = Engine, Key = ChainFlowGenerator.KeyOf(0xFFF9) }, NullLogger.Instance);
        var api = ApiServices.Of(new SubmissionService(sequencer), new QueryService(sequencer), new StreamsService(sequencer));
        await using var server = await ApiTestHost.StartAsync(api.Register, api.Map);

        var payload = Convert.FromHexString(hex);
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        using var http = RawGrpc.CreateClient();
        using var response = await http.SendAsync(RawGrpc.Request(server.Address, path, frame));
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(System.Net.HttpVersion.Version20, response.Version);
        var (status, message) = RawGrpc.StatusOf(response);
        Assert.Equal("3", status); // INVALID_ARGUMENT
        Assert.NotNull(message);
        var detail = Uri.UnescapeDataString(message);
        Assert.StartsWith($"the request is not a {type}: ", detail, StringComparison.Ordinal);
    }
}
