namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// The market domains' claims for a batch (docs/steps.md, "Claims"): every market registered at the batch's end is
/// claimed, traced from its trees at the batch's start (from nothing for one created in the batch).
/// </summary>
public static class MarketClaims
{
    /// <param name="start">The trees after the block before the batch's first, of every market that existed then.</param>
    /// <param name="startMarkets">The markets registered at the batch's start.</param>
    /// <param name="endMarkets">The markets registered at the batch's end: the ones claimed.</param>
    public static List<(DomainId Domain, DomainClaim Claim)> Compute(
        IReadOnlyDictionary<uint, MarketDomainTrees> start, IReadOnlyCollection<uint> startMarkets, IReadOnlyCollection<uint> endMarkets, MarketBatchInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(startMarkets);
        ArgumentNullException.ThrowIfNull(endMarkets);
        // Markets are independent domains: traced in parallel, each from its own trees, into its own slot.
        var markets = new List<uint>(endMarkets);
        var claimed = new DomainClaim[markets.Count];
        for (var i = 0; i < markets.Count; i++)
        {
            if (startMarkets.Contains(markets[i]) && !start.ContainsKey(markets[i]))
            {
                throw new InvalidOperationException($"market {markets[i]} was registered before the batch but its trees at the batch's start are missing");
            }
        }
        System.Threading.Tasks.Parallel.For(0, markets.Count, i =>
        {
            var trees = startMarkets.Contains(markets[i]) ? start[markets[i]] : null;
            claimed[i] = new MarketTraceBuilder(markets[i], trees).Claim(inputs);
        });
        var claims = new List<(DomainId, DomainClaim)>(markets.Count);
        for (var i = 0; i < markets.Count; i++)
        {
            claims.Add((DomainId.OfMarket(markets[i]), claimed[i]));
        }
        return claims;
    }
}
