using Rollup.Bridge.Settlement;
using Rollup.Bridge.Steps;
using Rollup.Execution.Steps.Markets;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The proof <c>MarketOneStepProver.prove</c> decodes (docs/disputes.md, "One-step provers"):
/// <c>abi.encode(MarketState pre, MarketBytes bytes, AccountsOutboxClaim accounts, MarketWitness w)</c>, encoded with
/// the parameter types of the compiled prover's <c>proofOf</c>, so it cannot drift from the structs it decodes.
/// F and C are the prover's own (constructor) values, not the proof's.
/// </summary>
public static class MarketOneStepProof
{
    private static readonly Lazy<ContractArtifact> LazyArtifact = new(() => ContractArtifact.Load("MarketOneStepProver"));

    public static ContractArtifact Artifact => LazyArtifact.Value;

    /// <summary>The proof of one step of a market's trace: its state before (with the record and pending work it commits to), the batch's accounts claim, its witness.</summary>
    public static byte[] Encode(MarketState pre, IReadOnlyList<MarketWitnessLeaf> witness, AccountsOutboxClaim accounts)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(accounts);
        var call = Artifact.EncodeCall("proofOf", MarketStepAbi.State(pre), MarketStepAbi.Bytes(pre), Accounts(accounts), MarketStepAbi.Witness(witness));
        return call[4..];
    }

    private static object[] Accounts(AccountsOutboxClaim c) =>
        [c.Start.ToArray(), AccountsStepAbi.State(c.End), c.Steps, c.Siblings.Select(s => s.ToArray()).ToList()];
}
