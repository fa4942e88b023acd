using System.Text.Json.Nodes;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Rollup.Bridge.Steps;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The proof <c>AccountsOneStepProver.prove</c> decodes (docs/disputes.md, "One-step provers"):
/// <c>abi.encode(AccountsState pre, MarketOutbox[] outboxes, Leaf[] witness)</c>. The three types are taken from the
/// compiled <c>AccountsStepVerifier.step</c> (its <c>pre</c>, its batch's <c>outboxes</c> and its <c>witness</c>),
/// so the encoding cannot drift from the structs the prover decodes into. No L1 deposit: the prover reads it from
/// the settlement contract's queue.
/// </summary>
public static class AccountsOneStepProof
{
    private static readonly Lazy<FunctionABI> Layout = new(BuildLayout);

    /// <summary>The proof of one step of a trace: its state before, the batch's market outboxes (none can be vouched for yet), its witness.</summary>
    public static byte[] Encode(AccountsState pre, IReadOnlyList<StepLeaf> witness, IReadOnlyDictionary<uint, Hash256>? outboxes = null)
    {
        ArgumentNullException.ThrowIfNull(witness);
        var abi = Layout.Value;
        var call = Hex.Parse(new FunctionCallEncoder().EncodeRequest(abi.Sha3Signature, abi.InputParameters, AccountsStepAbi.State(pre),
            AccountsStepAbi.Outboxes(outboxes ?? new Dictionary<uint, Hash256>()), AccountsStepAbi.Witness(witness)));
        return call[4..];
    }

    /// <summary>A function <c>proof(AccountsState, MarketOutbox[], Leaf[])</c> of the verifier's own parameter types: its calldata less the selector is the proof.</summary>
    private static FunctionABI BuildLayout()
    {
        var abi = JsonNode.Parse(AccountsStepVerifierClient.Artifact.AbiJson)!.AsArray();
        var step = abi.First(f => (string?)f!["type"] == "function" && (string?)f["name"] == "step")!;
        var inputs = step["inputs"]!.AsArray();
        JsonNode Input(string name) => inputs.First(i => (string?)i!["name"] == name)!;
        var outboxes = Input("batch")["components"]!.AsArray().First(c => (string?)c!["name"] == "outboxes")!;
        var proof = new JsonObject
        {
            ["type"] = "function",
            ["name"] = "proof",
            ["stateMutability"] = "pure",
            ["inputs"] = new JsonArray(Input("pre").DeepClone(), outboxes.DeepClone(), Input("witness").DeepClone()),
            ["outputs"] = new JsonArray(),
        };
        return ABIDeserialiserFactory.DeserialiseContractABI(new JsonArray(proof).ToJsonString()).Functions.Single();
    }
}
