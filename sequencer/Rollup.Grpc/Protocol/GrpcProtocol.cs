namespace Rollup.Grpc;

/// <summary>Names and values of the gRPC over HTTP/2 protocol (PROTOCOL-HTTP2.md).</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string TeHeader = "te";
    public const string Identity = "identity";
    public const string Gzip = "gzip";

    /// <summary>What this library can decode, as advertised in <c>grpc-accept-encoding</c>.</summary>
    public const string SupportedEncodings = "identity,gzip";

    public const int HeaderSize = 5;
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>HTTP/2 RST_STREAM error code CANCEL.</summary>
    public const int ResetStreamCancel = 8;

    /// <summary>
    /// True for <c>application/grpc</c> and <c>application/grpc+proto</c> (with optional parameters);
    /// other sub-types (<c>+json</c>) are not ours to parse.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var rest = contentType.AsSpan(ContentType.Length);
        if (rest.IsEmpty || rest[0] == ';')
        {
            return true;
        }
        return rest.StartsWith("+proto", StringComparison.OrdinalIgnoreCase) && (rest.Length == 6 || rest[6] == ';');
    }

    /// <summary>Whether a comma-separated <c>grpc-accept-encoding</c> value lists <paramref name="encoding"/>.</summary>
    public static bool ListsEncoding(string? acceptEncoding, string encoding)
    {
        if (string.IsNullOrEmpty(acceptEncoding))
        {
            return false;
        }
        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan(range).Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether messages compressed with <paramref name="encoding"/> can be decoded here.</summary>
    public static bool IsSupportedEncoding(string encoding) =>
        encoding.Equals(Gzip, StringComparison.OrdinalIgnoreCase) || encoding.Equals(Identity, StringComparison.OrdinalIgnoreCase);
}
