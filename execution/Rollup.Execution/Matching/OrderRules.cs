using System.Runtime.CompilerServices;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Matching;

/// <summary>The checks both books share, so they cannot disagree on what an order is.</summary>
internal static class OrderRules
{
    /// <summary><c>default(OrderBookLimits)</c> bypasses its constructor and allows nothing: refuse it.</summary>
    public static OrderBookLimits CheckSet(OrderBookLimits limits) =>
        limits.MaxOrders > 0 && limits.MaxLevelsPerSide > 0
            ? limits
            : throw new ArgumentException("The book's limits are not set.", nameof(limits));

    public static bool IsValid(in NewOrder order) =>
        order.Price > 0
        && order.Size > 0
        && order.Kind is OrderKind.Limit or OrderKind.Market
        && order.TimeInForce is TimeInForce.Gtc or TimeInForce.Ioc or TimeInForce.Fok or TimeInForce.PostOnly
        && !(order.Kind == OrderKind.Market && order.TimeInForce == TimeInForce.PostOnly);

    public static bool IsValid(in RestingOrder order) => order.Price > 0 && order.Size > 0;

    /// <summary>Whether what is left after matching rests: GTC and post-only limit orders.</summary>
    public static bool CanRest(in NewOrder order) =>
        order.Kind == OrderKind.Limit && order.TimeInForce is TimeInForce.Gtc or TimeInForce.PostOnly;

    /// <summary>Whether a taker at <paramref name="limit"/> may trade against a resting <paramref name="makerPrice"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Crosses(bool takerIsBuy, long limit, long makerPrice) =>
        takerIsBuy ? makerPrice <= limit : makerPrice >= limit;

    public static PlaceStatus FinalStatus(long size, long filled, bool rests)
    {
        if (filled == size)
        {
            return PlaceStatus.Filled;
        }
        if (rests)
        {
            return filled > 0 ? PlaceStatus.PartiallyFilledRested : PlaceStatus.Rested;
        }
        return filled > 0 ? PlaceStatus.PartiallyFilledCancelled : PlaceStatus.Cancelled;
    }
}
