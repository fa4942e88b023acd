namespace Rollup.Bridge.L1;

/// <summary>Anything that went wrong talking to the L1 node.</summary>
public abstract class L1Exception : Exception
{
    protected L1Exception(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The JSON-RPC method of the request.</summary>
    public required string Method { get; init; }
}

/// <summary>
/// No answer from the node: connection refused or reset, DNS failure, timeout, or an HTTP status that
/// says the server is overloaded or down (408, 429, 5xx). The L1 may simply be unreachable for now: retry later.
/// </summary>
public sealed class L1UnavailableException(string message, Exception? innerException = null) : L1Exception(message, innerException);

/// <summary>The node answered, but not with a JSON-RPC response of the expected shape.</summary>
public sealed class L1ProtocolException(string message, Exception? innerException = null) : L1Exception(message, innerException);

/// <summary>The node answered with a JSON-RPC error object: its code, message and <c>data</c>.</summary>
public class L1RpcException(string message) : L1Exception(message)
{
    /// <summary>The JSON-RPC error code (-32601 method not found, -32602 invalid params, 3 execution reverted, ...).</summary>
    public required int Code { get; init; }

    /// <summary>The error message as the node wrote it.</summary>
    public required string RpcMessage { get; init; }

    /// <summary>The error object's <c>data</c> when it is hex (for a revert: the revert data); otherwise null.</summary>
    public byte[]? ErrorData { get; init; }

    /// <summary>The error object's <c>data</c> as JSON text, whatever its form; null when absent.</summary>
    public string? ErrorDataJson { get; init; }
}

/// <summary>A call or gas estimate that reverted: <see cref="RevertReason"/> is decoded from the revert data.</summary>
public sealed class L1CallRevertedException(string message) : L1RpcException(message)
{
    /// <summary>Error(string) and Panic(uint256) decoded; custom errors are <see cref="RevertKind.Unrecognized"/> here, see <see cref="DecodeReason"/>.</summary>
    public required RevertReason Reason { get; init; }

    /// <summary>The revert data (empty when the node gave none).</summary>
    public ReadOnlySpan<byte> RevertData => ErrorData ?? [];

    /// <summary>Decodes the revert data again, trying the contract's custom errors too.</summary>
    public RevertReason DecodeReason(IEnumerable<AbiError> customErrors) => RevertReason.Decode(RevertData, customErrors);

    internal static string Describe(string method, RevertReason reason) => $"{method}: execution reverted: {reason}";
}

/// <summary>A transaction that was mined but failed (receipt status 0).</summary>
public sealed class L1TransactionFailedException(L1Receipt receipt)
    : Exception($"transaction {receipt.TransactionHash} failed in block {receipt.BlockNumber} ({receipt.BlockHash}) after {receipt.GasUsed} gas")
{
    public L1Receipt Receipt { get; } = receipt;
}
