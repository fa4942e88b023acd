using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>
/// The view calls and sends a client makes to one contract: views decoded with the artifact's outputs; each send
/// estimated first, so a refusal is decoded rather than mined, then sent with a fifth more gas and waited for. Every
/// refusal reaches the caller as the client's own exception, made by <paramref name="refused"/> from the function and
/// the custom error decoded with <paramref name="errors"/>.
/// </summary>
/// <param name="what">The contract as a sentence names it ("dispute game"), for the errors.</param>
internal sealed class ContractCalls(
    L1Client l1, TransactionSender? sender, ContractArtifact artifact, Address address, IReadOnlyList<ErrorABI> errors, string what,
    Func<string, RevertReason, Exception, Exception> refused)
{
    public TransactionSender Sender => sender ?? throw new InvalidOperationException($"this {what} client has no key to send with");

    public async Task<List<ParameterOutput>> CallAsync(string function, CancellationToken cancellation, params object[] arguments)
    {
        var call = new CallInput(Hex.ToHex(artifact.EncodeCall(function, arguments)), address.ToString());
        string output;
        try
        {
            output = await l1.RunAsync("eth_call", eth => eth.Transactions.Call.SendRequestAsync(call, BlockParameter.CreateLatest()), cancellation).ConfigureAwait(false);
        }
        catch (L1CallRevertedException reverted)
        {
            throw refused(function, reverted.DecodeReason(errors), reverted);
        }
        if (output is not { Length: > 2 })
        {
            throw new L1ContractMissingException($"eth_call: {function}() at {address} returned nothing: no {what} there") { Method = "eth_call" };
        }
        return new FunctionCallDecoder().DecodeDefaultData(output, artifact.Function(function).OutputParameters);
    }

    public async Task<L1Receipt> SendAsync(string function, byte[] calldata, BigInteger value, CancellationToken cancellation)
    {
        using var turn = await Sender.TakeTurnAsync(cancellation).ConfigureAwait(false);
        ulong gas;
        try
        {
            gas = await Sender.EstimateGasAsync(address, calldata, value, cancellation).ConfigureAwait(false);
        }
        catch (L1CallRevertedException reverted)
        {
            throw refused(function, reverted.DecodeReason(errors), reverted);
        }
        var request = new L1TransactionRequest { To = address, Data = calldata, Value = value, GasLimit = gas + (gas / 5) };
        var receipt = await Sender.SendAndWaitAsync(request, cancellation).ConfigureAwait(false);
        return receipt.Succeeded ? receipt : throw refused(function, RevertReason.Decode([]), new L1TransactionFailedException(receipt));
    }
}
