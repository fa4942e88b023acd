using Rollup.Bridge.Settlement;
using Rollup.Bridge.Steps;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The proof <c>AccountsOneStepProver.prove</c> decodes (docs/disputes.md, "One-step provers"):
/// <c>abi.encode(AccountsState pre, MarketOutboxClaim[] outboxes, Leaf[] witness)</c>, encoded with the parameter
/// types of the compiled prover's <c>proofOf</c>, so it cannot drift from the structs the prover decodes into. No L1
/// deposit: the prover reads it from the settlement contract's queue.
/// </summary>
public static class AccountsOneStepProof
{
    /// <summary>
    /// The proof of one step of a trace: its state before, the claims of the markets whose outboxes it reads (a Reply
    /// step's market; sorted here by market, as the prover requires), its witness.
    /// </summary>
    public static byte[] Encode(AccountsState pre, IReadOnlyList<StepLeaf> witness, IReadOnlyList<MarketOutboxClaim>? outboxes = null)
    {
        ArgumentNullException.ThrowIfNull(witness);
        var claims = (outboxes ?? []).OrderBy(c => c.Market).Select(Outbox).ToList();
        var call = DisputeGameClient.ProverArtifact.EncodeCall("proofOf", AccountsStepAbi.State(pre), claims, AccountsStepAbi.Witness(witness));
        return call[4..];
    }

    private static object[] Outbox(MarketOutboxClaim c) =>
        [c.Market, c.Start.ToArray(), MarketStepAbi.State(c.End), c.Steps, c.Siblings.Select(s => s.ToArray()).ToList()];
}
