using Rollup.Execution.State;
using Rollup.Execution.State.Proofs;

namespace Rollup.Execution.Blocks;

public sealed partial class ExecutionEngine
{
    /// <summary>
    /// A market's record (params, oracle and mark price, ...) with its path in the market's tree and the market's
    /// root in the market-roots tree: with a position proof, what L1's escape hatch values a position by.
    /// </summary>
    public MarketRecordProof? ProveMarketRecord(uint market)
    {
        Span<byte> key = stackalloc byte[StateKeys.MarketKeyLength];
        StateKeys.Market(market, key);
        var record = _db.Get(StateColumn.Markets, key);
        return record is null ? null : new MarketRecordProof(market, record,
            MarketTree(market).Tree.GetProof(StateTrees.MarketRecordKey()), _marketRootsTree.Tree.GetProof(StateTrees.MarketRootKey(market)), AccountsRoot);
    }
}
