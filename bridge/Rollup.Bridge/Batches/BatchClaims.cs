using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;

namespace Rollup.Bridge.Batches;

/// <summary>
/// The domain claims a batch commits to (docs/steps.md, "Claims"), the leaves of its <c>claimsRoot</c>, from its executed
/// blocks: the accounts domain's, and every registered market's traced from its trees at the batch's start.
/// </summary>
public static class BatchClaims
{
    /// <param name="accountsStart">The accounts domain's lasting state after the block before the batch's first.</param>
    /// <param name="marketStart">Every market's trees after that block (<see cref="ProvableMarkets"/>); null claims the accounts domain alone.</param>
    /// <param name="firstSequence">The sequence number of the batch's first transaction.</param>
    /// <param name="records">The batch's blocks as executed, in order.</param>
    public static IReadOnlyList<(DomainId Domain, DomainClaim Claim)> Of(
        AccountsDomainState accountsStart, IReadOnlyDictionary<uint, MarketDomainTrees>? marketStart, ulong firstSequence, IReadOnlyList<BlockRecord> records)
    {
        ArgumentNullException.ThrowIfNull(accountsStart);
        ArgumentNullException.ThrowIfNull(records);
        var blocks = new Block[records.Count];
        var receipts = new IReadOnlyList<Receipt>[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            blocks[i] = records[i].Block;
            receipts[i] = records[i].Receipts;
        }
        var (accounts, accountsEnd) = AccountsClaims.Compute(accountsStart, firstSequence, blocks, receipts, records[^1].AccountsRoot);
        var claims = new List<(DomainId Domain, DomainClaim Claim)> { (DomainId.Accounts, accounts) };
        if (marketStart is null)
        {
            return claims;
        }
        var inputs = MarketBatchInputs.FromReceipts(firstSequence, blocks, receipts);
        claims.AddRange(MarketClaims.Compute(marketStart, accountsStart.Markets, accountsEnd.Markets, inputs));
        return claims;
    }
}
