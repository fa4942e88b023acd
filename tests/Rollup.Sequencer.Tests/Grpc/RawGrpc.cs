using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>Hand-built HTTP/2 requests, for what a gRPC client would never send (no local deadline, a wrong content type) and to see the wire.</summary>
internal static class RawGrpc
{
    public static byte[] Frame(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false });

    public static HttpRequestMessage Request(Uri address, string path, byte[] body, string contentType = "application/grpc", params (string Name, string Value)[] headers)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    /// <summary>The length-prefixed messages of a response body: (compressed flag, payload).</summary>
    public static List<(bool Compressed, byte[] Payload)> ParseFrames(byte[] body)
    {
        var frames = new List<(bool, byte[])>();
        var offset = 0;
        while (offset < body.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            frames.Add((body[offset] == 1, body.AsSpan(offset + 5, length).ToArray()));
            offset += 5 + length;
        }
        return frames;
    }

    /// <summary>grpc-status and grpc-message from the trailers, or from the headers of a Trailers-Only response.</summary>
    public static (string? Status, string? Message) StatusOf(HttpResponseMessage response)
    {
        static string? Get(HttpHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.First() : null;
        return Get(response.Headers, "grpc-status") is { } status
            ? (status, Get(response.Headers, "grpc-message"))
            : (Get(response.TrailingHeaders, "grpc-status"), Get(response.TrailingHeaders, "grpc-message"));
    }
}
