using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.JsonRpc.Client;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>Nethereum's exceptions as the bridge's <see cref="L1Exception"/>s.</summary>
internal static class L1Errors
{
    /// <summary>The L1 exception for a failed request; null for what is not an L1 failure (the caller's cancellation, our own bugs).</summary>
    public static Exception? Translate(string method, Uri endpoint, TimeSpan timeout, Exception error) => error switch
    {
        L1Exception => null,
        OperationCanceledException => null,
        SmartContractCustomErrorRevertException custom => Reverted(method, 3, "execution reverted", custom.ExceptionEncodedData, custom),
        SmartContractRevertException revert => Reverted(method, 3, "execution reverted: " + revert.RevertMessage, revert.EncodedData, revert),
        RpcResponseException response => FromRpcError(method, response),
        RpcClientTimeoutException or TimeoutException => new L1UnavailableException($"{method}: no answer from {endpoint} within {timeout.TotalSeconds:0.###} s", error) { Method = method },
        RpcClientUnknownException or HttpRequestException or IOException or Newtonsoft.Json.JsonException =>
            new L1UnavailableException($"{method}: cannot reach {endpoint}: {Innermost(error).Message}", error) { Method = method },
        // Nethereum's converters (hex numbers, byte strings) report an answer that is JSON but not Ethereum's so.
        FormatException => new L1ProtocolException($"{method}: {endpoint} answered something that does not parse: {error.Message}") { Method = method },
        _ => null,
    };

    private static L1RpcException FromRpcError(string method, RpcResponseException response)
    {
        var (code, message) = (response.RpcError.Code, response.RpcError.Message ?? "");
        // Nethereum appends ": <method>" to the node's message; the method is ours to say.
        if (message.EndsWith(": " + method, StringComparison.Ordinal))
        {
            message = message[..^(method.Length + 2)];
        }
        var data = response.RpcError.Data is null ? null : response.RpcError.GetDataAsString();
        // Geth and anvil answer a revert with code 3 and the revert data; some nodes use -32000 and the message only.
        if (code == 3 || message.StartsWith("execution reverted", StringComparison.OrdinalIgnoreCase))
        {
            return Reverted(method, code, message, data, response);
        }
        var shownData = string.IsNullOrEmpty(data) ? "" : $" (data {Truncate(data)})";
        return new L1RpcException($"{method}: error {code}: {message}{shownData}", response) { Method = method, Code = code, RpcMessage = message };
    }

    private static L1CallRevertedException Reverted(string method, int code, string message, string? data, Exception inner)
    {
        var bytes = data is not null && data.StartsWith("0x", StringComparison.Ordinal) && Hex.TryParse(data, out var parsed) ? parsed : [];
        return new L1CallRevertedException($"{method}: execution reverted: {RevertReason.Decode(bytes)}", inner)
        {
            Method = method,
            Code = code,
            RpcMessage = message,
            RevertData = bytes,
        };
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }
        return error;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
