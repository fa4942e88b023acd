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
        var claims = new List<(DomainId, DomainClaim)>(endMarkets.Count);
        foreach (var market in endMarkets)
        {
            MarketDomainTrees? trees = null;
            if (startMarkets.Contains(market) && !start.TryGetValue(market, out trees))
            {
                throw new InvalidOperationException($"market {market} was registered before the batch but its trees at the batch's start are missing");
            }
            claims.Add((DomainId.OfMarket(market), new MarketTraceBuilder(market, trees).Claim(inputs)));
        }
        return claims;
    }
}
