using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.Matching;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// Placing an order: the admission checks in the engine's order, the book's checks (post-only, fill-or-kill, room), then
/// the sweep of the opposite side, up to F fills and self-trade cancels a step, the rest in Continue steps, and finally
/// the remainder resting. Price-time priority is the trees' order: every fill takes the leftmost opposite leaf.
/// </summary>
internal static class MarketOrderSteps
{
    /// <summary>Places <paramref name="tx"/>, routed with its first order <paramref name="slot"/> in the block (Blocks/OrderSlots).</summary>
    public static TxStatus? Place(MarketStepRun run, in Transaction tx, ulong sequence, uint txIndex, uint slot)
    {
        // The engine's order: the slot before the order's terms (Market.PlaceOrder).
        if (slot >= Market.MaxOrderSlots)
        {
            return TxStatus.TooManyOrdersInBlock;
        }
        var status = Admit(run, tx, out var taker, out var price, out var size);
        if (status != TxStatus.Accepted)
        {
            return status;
        }
        var orderId = Market.OrderIdOf(run.State.Block, (int)slot);
        var order = new NewOrder(orderId, 0, tx.IsBuy, price, size, tx.OrderKind, tx.TimeInForce);
        if (tx.TimeInForce == TimeInForce.PostOnly && run.Best(!tx.IsBuy) is { } best && OrderRules.Crosses(tx.IsBuy, price, best.Price))
        {
            return TxStatus.PostOnlyWouldCross;
        }
        bool? fillable = null;
        if (tx.TimeInForce == TimeInForce.Fok && !(fillable = FillableFromOthers(run, taker!, tx.IsBuy, price, size)).Value)
        {
            return TxStatus.FokNotFillable;
        }
        var canRest = OrderRules.CanRest(order);
        if (canRest && !HasRoom(run, tx.IsBuy, price)
            && (tx.TimeInForce == TimeInForce.PostOnly || !(fillable ??= FillableFromOthers(run, taker!, tx.IsBuy, price, size))))
        {
            return TxStatus.BookFull;
        }
        var work = new SweepWork(sequence, txIndex, tx.Account, tx.IsBuy, price, size, size, orderId, tx.ClientOrderId, canRest, tx.ReduceOnly);
        return Sweep(run, work, taker!);
    }

    /// <summary>The Continue step: the pending sweep or cancel-all goes on.</summary>
    public static MarketStepKind Continue(MarketStepRun run)
    {
        var pending = run.State.Pending;
        TxStatus? status;
        ulong sequence;
        var kind = MarketPending.KindOf(pending);
        if (kind == PendingKind.Liquidation)
        {
            throw new StepProofException("a liquidation is pending in the inbox phase");
        }
        if (kind == PendingKind.Bulk)
        {
            MarketBulkSteps.Continue(run, BulkWork.Decode(pending));
            return MarketStepKind.Continue;
        }
        int? item = null;
        if (kind == PendingKind.Sweep)
        {
            var work = SweepWork.Decode(pending);
            sequence = work.Sequence;
            status = Sweep(run, work, run.ReadPosition(work.Account));
            if (work.Tail.Length > 0)
            {
                // A bulk's item: the tail is the bulk's work after it.
                item = BulkWork.Decode(work.Tail).Next - 1;
            }
        }
        else
        {
            var work = CancelAllWork.Decode(pending);
            sequence = work.Sequence;
            status = MarketCancelSteps.CancelAll(run, work, first: false);
        }
        if (status is { } decided)
        {
            run.Decide(MarketStepKind.Continue, sequence, decided, item);
        }
        return MarketStepKind.Continue;
    }

    /// <summary>Takes the best opposite orders while they cross, up to F of them; then rests what is left, or leaves the rest pending.</summary>
    private static TxStatus? Sweep(MarketStepRun run, SweepWork work, PositionAt taker)
    {
        var remaining = work.Remaining;
        var done = SweepBook(run, taker, work.IsBuy, work.Price, ref remaining);
        if (!done)
        {
            run.WritePosition(taker);
            run.State = run.State with { Pending = (work with { Remaining = remaining }).Encode() };
            return null;
        }
        if (work.CanRest && remaining > 0)
        {
            run.InsertOrder(work.IsBuy, work.Price, work.OrderId, work.Account, work.ReduceOnly, remaining);
            var listed = new ListedOrder(work.OrderId, work.IsBuy, work.Price, remaining, work.ClientOrderId, work.ReduceOnly);
            var at = taker.Leaf.Orders.Count;
            while (at > 0 && taker.Leaf.Orders[at - 1].OrderId > work.OrderId)
            {
                at--;
            }
            taker.Leaf.Orders.Insert(at, listed);
        }
        run.WritePosition(taker);
        run.State = run.State with { Pending = MarketBulkSteps.AfterSweep(work.Tail) };
        return TxStatus.Accepted;
    }

    /// <summary>
    /// Up to F book operations of a taker at <paramref name="limit"/>: each takes the best opposite order if it crosses,
    /// a fill, or a self-trade cancel if it is the taker's own. True when the sweep is over (nothing left to take, or
    /// nothing crossing); false when F ran out first. The taker's position is changed, not written.
    /// </summary>
    internal static bool SweepBook(MarketStepRun run, PositionAt taker, bool isBuy, long limit, ref long remaining)
    {
        for (var ops = 0; ; ops++)
        {
            if (remaining == 0)
            {
                return true;
            }
            if (ops == run.Context.BookOpsPerStep)
            {
                return false;
            }
            var best = run.Best(!isBuy);
            if (best is null || !OrderRules.Crosses(isBuy, limit, best.Price))
            {
                return true;
            }
            if (best.Account == taker.Account)
            {
                SelfTradeCancel(run, taker, best);
                continue;
            }
            remaining -= Fill(run, isBuy, taker, best, remaining);
        }
    }

    /// <summary>A resting order of the taker's own account in the way: cancelled, as the book's self-trade prevention does.</summary>
    private static void SelfTradeCancel(MarketStepRun run, PositionAt taker, BookEntry own)
    {
        var index = taker.Leaf.IndexOfOrder(own.OrderId);
        if (index < 0)
        {
            throw new StepProofException($"order {own.OrderId} rests for {own.Account} but its position does not list it");
        }
        run.RemoveOrder(own.IsBuy, own.Price, own.OrderId, own.Account, own.ReduceOnly);
        taker.Leaf.Orders.RemoveAt(index);
    }

    /// <summary>One fill at the maker's price: sizes, cash, fees and funding of both sides, the maker's order and position.</summary>
    private static long Fill(MarketStepRun run, bool takerIsBuy, PositionAt taker, BookEntry best, long remaining)
    {
        var parameters = run.Market.Params;
        var maker = run.ReadPosition(best.Account);
        var index = maker.Leaf.IndexOfOrder(best.OrderId);
        if (index < 0)
        {
            throw new StepProofException($"order {best.OrderId} rests for {best.Account} but its position does not list it");
        }
        run.SettleFunding(maker.Leaf);
        run.SettleFunding(taker.Leaf);
        var traded = Math.Min(remaining, best.Size);
        var notional = MarginMath.Notional(best.Price, traded, parameters.SizeScale);
        var signed = takerIsBuy ? traded : -traded;
        taker.Leaf.Size += signed;
        taker.Leaf.Collateral -= takerIsBuy ? notional : -notional;
        maker.Leaf.Size -= signed;
        maker.Leaf.Collateral += takerIsBuy ? notional : -notional;
        var takerFee = MarginMath.FractionUp(notional, parameters.TakerFeePpm);
        var makerFee = MarginMath.FractionUp(notional, parameters.MakerFeePpm);
        taker.Leaf.Collateral -= takerFee;
        maker.Leaf.Collateral -= makerFee;
        run.Market = run.Market with { FeePool = run.Market.FeePool + takerFee + makerFee };

        var listed = maker.Leaf.Orders[index];
        if (traded == best.Size)
        {
            run.RemoveOrder(best.IsBuy, best.Price, best.OrderId, best.Account, best.ReduceOnly);
            maker.Leaf.Orders.RemoveAt(index);
        }
        else
        {
            run.ReduceOrder(best, best.Size - traded);
            maker.Leaf.Orders[index] = listed with { Size = listed.Size - traded };
        }
        run.WritePosition(maker);
        return traded;
    }

    /// <summary>The engine's admission of an order, check by check in the same order (Market.AdmitOrder).</summary>
    private static TxStatus Admit(MarketStepRun run, in Transaction tx, out PositionAt? position, out long price, out long size)
    {
        position = null;
        price = size = 0;
        var market = run.Market;
        var parameters = market.Params;
        var terms = MarketRules.OrderTerms(tx, parameters, market.HaltReason, market.OraclePrice);
        if (terms != TxStatus.Accepted)
        {
            return terms;
        }
        price = (long)tx.Price;
        size = (long)tx.Size;
        position = run.ReadPosition(tx.Account);
        if (!position.Existed)
        {
            return TxStatus.InsufficientMargin;
        }
        var leaf = position.Leaf;
        var mayRest = tx.OrderKind == OrderKind.Limit && tx.TimeInForce is TimeInForce.Gtc or TimeInForce.PostOnly;
        if (mayRest && leaf.Orders.Count >= parameters.MaxOpenOrdersPerAccount)
        {
            return TxStatus.TooManyOpenOrders;
        }
        if (leaf.IndexOfClientOrder(tx.ClientOrderId) >= 0)
        {
            return TxStatus.DuplicateClientOrderId;
        }
        if (tx.ReduceOnly)
        {
            var reducible = tx.IsBuy ? -leaf.Size : leaf.Size;
            if (reducible <= 0)
            {
                return TxStatus.ReduceOnlyWouldIncrease;
            }
            size = Math.Min(size, reducible);
            return TxStatus.Accepted;
        }
        var requirement = run.InitialRequirement(leaf, market.MarkPrice, (Int128)price * size);
        var fee = MarginMath.FractionUp(MarginMath.Notional(price, size, parameters.SizeScale), Math.Max(parameters.TakerFeePpm, parameters.MakerFeePpm));
        return run.EquityAt(leaf, market.MarkPrice) - fee >= requirement ? TxStatus.Accepted : TxStatus.InsufficientMargin;
    }

    /// <summary>Whether the opposite side holds enough at prices the order accepts from accounts other than the taker's own.</summary>
    private static bool FillableFromOthers(MarketStepRun run, PositionAt taker, bool isBuy, long limit, long size)
    {
        var crossing = run.SizeCrossing(isBuy, limit);
        ulong own = 0;
        foreach (var order in taker.Leaf.Orders)
        {
            if (order.IsBuy != isBuy && OrderRules.Crosses(isBuy, limit, order.Price))
            {
                own += (ulong)order.Size;
            }
        }
        return crossing - own >= (ulong)size;
    }

    /// <summary>Room for one more resting order: under the book's order limit, and at a price that has a level or under the level limit.</summary>
    private static bool HasRoom(MarketStepRun run, bool isBuy, long price)
    {
        var parameters = run.Market.Params;
        if (run.BookOrderCount >= parameters.MaxBookOrders)
        {
            return false;
        }
        return run.Record.Levels(isBuy) < parameters.MaxBookLevels || run.OrdersAtPrice(isBuy, price) > 0;
    }
}
