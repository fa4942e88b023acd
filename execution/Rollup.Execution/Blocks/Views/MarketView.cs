using System.Collections.Immutable;
using Rollup.Execution.Markets;
using Rollup.Execution.Matching;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Blocks.Views;

/// <summary>
/// A market's own fields as of one committed block, copied from the engine's market when the block commits, with the
/// best <see cref="Depth"/> levels of each side, and its stored positions and each account's open-order count (maps
/// carried from block to block and updated with the positions the block wrote).
/// </summary>
public sealed record MarketView(
    uint Id,
    MarketParams Params,
    long OraclePrice,
    ulong OracleTimestamp,
    long MarkPrice,
    HaltReason HaltReason,
    long InsuranceFund,
    long FeePool,
    ulong LastFundingBlock,
    int RestingOrderCount,
    int PositionCount,
    Hash256 Root,
    long FundingIndex,
    long FundingPool,
    BookLevel[] Bids,
    BookLevel[] Asks,
    ImmutableDictionary<Address, PositionView> Positions,
    ImmutableDictionary<Address, int> OpenOrders)
{
    /// <summary>Levels kept per side: the order book queries' and streams' default depth.</summary>
    public const int Depth = 50;

    /// <param name="previous">This market's view of the block before, whose maps the block's writes update; null: built afresh.</param>
    internal static MarketView Of(Market market, in Hash256 root, MarketView? previous)
    {
        var positions = previous?.Positions.ToBuilder() ?? ImmutableDictionary.CreateBuilder<Address, PositionView>();
        var openOrders = previous?.OpenOrders.ToBuilder() ?? ImmutableDictionary.CreateBuilder<Address, int>();
        foreach (var position in previous is null ? market.AllPositions() : market.CommittedPositions)
        {
            if (position.IsStored)
            {
                positions[position.Account] = new PositionView(position.Size, position.Collateral, position.SettledFundingIndex);
            }
            else
            {
                positions.Remove(position.Account);
            }
            if (position.OpenOrders > 0)
            {
                openOrders[position.Account] = position.OpenOrders;
            }
            else
            {
                openOrders.Remove(position.Account);
            }
        }
        return new(
            market.Id, market.Params, market.OraclePrice, market.OracleTimestamp, market.MarkPrice, market.HaltReason, market.InsuranceFund,
            market.FeePool, market.LastFundingBlock, market.RestingOrderCount, market.PositionCount, root, market.FundingIndex, market.FundingPool,
            Best(market, BookSide.Bid), Best(market, BookSide.Ask), positions.ToImmutable(), openOrders.ToImmutable());
    }

    public bool TryGetPosition(in Address account, out PositionView position) => Positions.TryGetValue(account, out position);

    public int OpenOrderCount(in Address account) => OpenOrders.TryGetValue(account, out var count) ? count : 0;

    /// <summary>A position's equity at the mark (the oracle before the first mark), its funding owed counted: the engine's rule.</summary>
    public long EquityOf(in PositionView position) =>
        position.Collateral - FundingMath.Owed(position.Size, FundingIndex, position.SettledFundingIndex)
        + MarginMath.Notional(MarkPrice == 0 ? OraclePrice : MarkPrice, position.Size, Params.SizeScale);

    private static BookLevel[] Best(Market market, BookSide side)
    {
        Span<BookLevel> levels = stackalloc BookLevel[Depth];
        return levels[..market.GetLevels(side, levels)].ToArray();
    }
}

/// <summary>A stored position: its signed size, its isolated collateral and the funding index it last settled at.</summary>
public readonly record struct PositionView(long Size, long Collateral, long SettledFundingIndex);
