namespace Rollup.Bridge.L1;

/// <summary>Anything that went wrong talking to the L1 node (Nethereum's exceptions, translated by <see cref="L1Client"/>).</summary>
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
/// No answer from the node: connection refused or reset, timeout, an HTTP error status, or an answer that is
/// not JSON-RPC (Nethereum reports these alike). The L1 may simply be unreachable for now: retry later.
/// </summary>
public sealed class L1UnavailableException(string message, Exception? innerException = null) : L1Exception(message, innerException);

/// <summary>The node answered, but not what the request implies (another transaction hash, a creation receipt without an address, a logged transaction it does not know).</summary>
public sealed class L1ProtocolException(string message) : L1Exception(message);

/// <summary>A call to a contract that answered with no data at all: no contract at that address (or not the one expected).</summary>
public sealed class L1ContractMissingException(string message) : L1Exception(message);

/// <summary>The node answered with a JSON-RPC error object: its code, message and <c>data</c>.</summary>
public class L1RpcException(string message, Exception? innerException = null) : L1Exception(message, innerException)
{
    /// <summary>The JSON-RPC error code (-32601 method not found, -32602 invalid params, 3 execution reverted, ...).</summary>
    public required int Code { get; init; }

    /// <summary>The error message as the node wrote it.</summary>
    public required string RpcMessage { get; init; }
}

/// <summary>A call or gas estimate that reverted, with the revert data to decode (<see cref="RevertReason"/>).</summary>
public sealed class L1CallRevertedException(string message, Exception? innerException = null) : L1RpcException(message, innerException)
{
    /// <summary>The revert data (empty when the node gave none).</summary>
    public required byte[] RevertData { get; init; }

    /// <summary>Error(string) and Panic(uint256) decoded; custom errors only with <see cref="DecodeReason"/>.</summary>
    public RevertReason Reason => RevertReason.Decode(RevertData);

    /// <summary>Decodes the revert data trying the contract's custom errors too.</summary>
    public RevertReason DecodeReason(IEnumerable<Nethereum.ABI.Model.ErrorABI> customErrors) => RevertReason.Decode(RevertData, customErrors);
}

/// <summary>A transaction that was mined but failed (receipt status 0).</summary>
public sealed class L1TransactionFailedException(L1Receipt receipt)
    : Exception($"transaction {receipt.TransactionHash} failed in block {receipt.BlockNumber} ({receipt.BlockHash}) after {receipt.GasUsed} gas")
{
    public L1Receipt Receipt { get; } = receipt;
}
