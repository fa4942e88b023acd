using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// Every domain's trace of one batch, what a player plays from: the accounts domain traced from its state before the
/// batch, then each market from its trees before the batch (from nothing, for one the batch creates) over the routed
/// messages of that accounts trace.
/// </summary>
public static class BatchTraces
{
    /// <param name="accountsStart">The accounts domain as it stood after the block before the batch's first.</param>
    /// <param name="domain">The chain's EIP-712 domain and operators, as the engine runs with them.</param>
    /// <param name="marketStart">The trees of every market that existed before the batch (<see cref="ProvableMarkets"/>).</param>
    /// <param name="markets">The markets to trace: those the batch claims.</param>
    public static IReadOnlyDictionary<DomainId, DomainTrace> Of(
        AccountsSnapshot accountsStart, Eip712Domain domain, IReadOnlyCollection<Address> operators,
        IReadOnlyDictionary<uint, MarketDomainTrees> marketStart, IEnumerable<uint> markets,
        ulong firstSequence, IReadOnlyList<Block> blocks, IReadOnlyList<IReadOnlyList<Receipt>> receipts)
    {
        ArgumentNullException.ThrowIfNull(marketStart);
        ArgumentNullException.ThrowIfNull(markets);
        var builder = new AccountsTraceBuilder(accountsStart, domain, operators);
        var accounts = builder.Trace(firstSequence, blocks, receipts);
        var inputs = MarketBatchInputs.Of(firstSequence, blocks, receipts, accounts);
        var marketTraces = new SortedDictionary<uint, MarketTrace>();
        foreach (var market in markets)
        {
            var start = marketStart.TryGetValue(market, out var trees) ? trees : null;
            marketTraces[market] = new MarketTraceBuilder(market, start).Trace(inputs);
        }
        var traces = new Dictionary<DomainId, DomainTrace> { [DomainId.Accounts] = DomainTrace.OfAccounts(accounts, marketTraces, builder.RegistryProof) };
        foreach (var (market, trace) in marketTraces)
        {
            traces[DomainId.OfMarket(market)] = DomainTrace.OfMarket(trace, accounts);
        }
        return traces;
    }
}
