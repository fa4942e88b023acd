using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Steps;

/// <summary>
/// The accounts step's structs as Nethereum's ABI encoder takes them (<c>AccountsStepVerifier.step</c> and the
/// one-step prover's proof share them): the state, the batch's market outboxes, the witness leaves.
/// </summary>
internal static class AccountsStepAbi
{
    /// <summary>The seventeen ABI words of the state, in the order of docs/steps.md ("Its step state").</summary>
    public static object[] State(in AccountsState s) =>
    [
        s.AccountsRoot.ToArray(), s.RegistryRoot.ToArray(), s.NextDepositIndex, s.TotalDeposits, s.TotalWithdrawals,
        s.WithdrawalsRoot.ToArray(), s.OutboxRoot.ToArray(), s.ReceiptsHash.ToArray(), s.Block, s.FirstSequence, s.TxCount,
        s.TxIndex, s.RepliesRoot.ToArray(), s.ReplyCount, s.NextReply, s.RoutedRoot.ToArray(),
        s.NextSlot,
    ];

    /// <summary><c>MarketOutbox[]</c>: (market, root) in market order.</summary>
    public static List<object[]> Outboxes(IReadOnlyDictionary<uint, Hash256> outboxes)
    {
        var markets = new List<uint>(outboxes.Keys);
        markets.Sort();
        var encoded = new List<object[]>(markets.Count);
        foreach (var market in markets)
        {
            encoded.Add([market, outboxes[market].ToArray()]);
        }
        return encoded;
    }

    /// <summary><c>Leaf[]</c>: each leaf's record, siblings, and for an absence proof ending in another key's leaf that leaf (else zeros).</summary>
    public static List<object[]> Witness(IReadOnlyList<StepLeaf> witness)
    {
        var leaves = new List<object[]>(witness.Count);
        foreach (var leaf in witness)
        {
            var siblings = new List<byte[]>(leaf.Proof.Siblings.Count);
            foreach (var sibling in leaf.Proof.Siblings)
            {
                siblings.Add(sibling.ToArray());
            }
            var endsInOther = leaf.Proof.LeafKey is { IsZero: false } && !leaf.IsPresent;
            leaves.Add([leaf.Record, siblings, endsInOther ? leaf.Proof.LeafKey.ToArray() : new byte[32], endsInOther ? leaf.Proof.LeafValueHash.ToArray() : new byte[32]]);
        }
        return leaves;
    }
}
