using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Batches;

/// <summary>
/// The domain claims a batch commits to (docs/steps.md, "Claims"), the leaves of its <c>claimsRoot</c>, from its executed
/// blocks: for now the accounts domain's alone, the one domain claimed in every batch.
/// </summary>
public static class BatchClaims
{
    /// <param name="accountsStart">The accounts domain's lasting state after the block before the batch's first.</param>
    /// <param name="firstSequence">The sequence number of the batch's first transaction.</param>
    /// <param name="records">The batch's blocks as executed, in order.</param>
    public static IReadOnlyList<(DomainId Domain, DomainClaim Claim)> Of(AccountsDomainState accountsStart, ulong firstSequence, IReadOnlyList<BlockRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var blocks = new Block[records.Count];
        var receipts = new IReadOnlyList<Receipt>[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            blocks[i] = records[i].Block;
            receipts[i] = records[i].Receipts;
        }
        var (accounts, _) = AccountsClaims.Compute(accountsStart, firstSequence, blocks, receipts, records[^1].AccountsRoot);
        return [(DomainId.Accounts, accounts)];
    }
}
