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
        var markets = new List<uint>(outboxes?.Keys ?? []);
        markets.Sort();
        var boxes = new List<object[]>(markets.Count);
        foreach (var market in markets)
        {
            boxes.Add([market, outboxes![market].ToArray()]);
        }
        var leaves = new List<object[]>(witness.Count);
        foreach (var leaf in witness)
        {
            var siblings = new List<byte[]>(leaf.Proof.Siblings.Count);
            foreach (var sibling in leaf.Proof.Siblings)
            {
                siblings.Add(sibling.ToArray());
            }
            // An absence proof that ends in another key's leaf names that leaf; every other proof names zeros.
            var endsInOther = leaf.Proof.LeafKey is { IsZero: false } && !leaf.IsPresent;
            leaves.Add([leaf.Record, siblings, endsInOther ? leaf.Proof.LeafKey.ToArray() : new byte[32], endsInOther ? leaf.Proof.LeafValueHash.ToArray() : new byte[32]]);
        }
        var abi = Layout.Value;
        var call = Hex.Parse(new FunctionCallEncoder().EncodeRequest(abi.Sha3Signature, abi.InputParameters, EncodeState(pre), boxes, leaves));
        return call[4..];
    }

    /// <summary>The sixteen ABI words of the state, in the order of docs/steps.md ("Its step state").</summary>
    internal static object[] EncodeState(in AccountsState s) =>
    [
        s.AccountsRoot.ToArray(), s.RegistryRoot.ToArray(), s.NextDepositIndex, s.TotalDeposits, s.TotalWithdrawals,
        s.WithdrawalsRoot.ToArray(), s.OutboxRoot.ToArray(), s.ReceiptsHash.ToArray(), s.Block, s.FirstSequence, s.TxCount,
        s.TxIndex, s.RepliesRoot.ToArray(), s.ReplyCount, s.NextReply, s.RoutedRoot.ToArray(),
    ];

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
