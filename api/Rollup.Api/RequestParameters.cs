using Google.Protobuf;
using Grpc.Core;
using Rollup.Primitives;

namespace Rollup.Api;

/// <summary>
/// The identifiers a read names, in either form a request may carry them: bytes (gRPC clients) or 0x-prefixed hex
/// (the HTTP API's path parameters). A bad one is INVALID_ARGUMENT (HTTP 400) saying what was wrong.
/// </summary>
internal static class RequestParameters
{
    public static Address Account(ByteString bytes, string hex)
    {
        if (hex.Length == 0)
        {
            return bytes.Length == 0
                ? throw Invalid("no account: give its 20 bytes in `account`, or 0x and 40 hex digits in `address` (the HTTP path)")
                : TransactionMapping.TryAddress(bytes, out var address) ? address : throw Invalid($"account: an address is 20 bytes, got {bytes.Length}");
        }
        if (!Address.TryParse(hex, out var parsed))
        {
            throw Invalid($"address '{Shorten(hex)}' is not an address: 40 hex digits after an optional 0x (EIP-55 checksum if mixed case)");
        }
        if (bytes.Length != 0 && !bytes.Span.SequenceEqual(parsed.Bytes))
        {
            throw Invalid("`account` and `address` name different accounts: give one of the two");
        }
        return parsed;
    }

    public static Hash256 TxHash(ByteString bytes, string hex)
    {
        if (hex.Length == 0)
        {
            return bytes.Length == Hash256.Length
                ? new Hash256(bytes.Span)
                : throw Invalid(bytes.Length == 0 ? "no transaction hash: give its 32 bytes in `tx_hash`, or 0x and 64 hex digits in `hash` (the HTTP path)" : $"tx_hash: a hash is 32 bytes, got {bytes.Length}");
        }
        if (!Hash256.TryParse(hex, out var parsed))
        {
            throw Invalid($"hash '{Shorten(hex)}' is not a transaction hash: 64 hex digits after an optional 0x");
        }
        if (bytes.Length != 0 && !bytes.Span.SequenceEqual(parsed.Bytes))
        {
            throw Invalid("`tx_hash` and `hash` name different transactions: give one of the two");
        }
        return parsed;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private static RpcException Invalid(string reason) => new(new Status(StatusCode.InvalidArgument, reason));
}
