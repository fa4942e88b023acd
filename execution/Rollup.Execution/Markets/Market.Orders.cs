using Rollup.Execution.Blocks;
using Rollup.Execution.Matching;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    /// <summary>
    /// Order ids say where an order was placed, so they grow with time: block number in the high bits, the order's slot
    /// in the block below (<see cref="MarketBlockContext.SlotOf"/>: its index in the block while no bulk came before it).
    /// </summary>
    public const int OrderIdTxBits = 20;

    /// <summary>
    /// Slots a block's orders may take: the ids below the liquidation orders' at the top of each block's range. A
    /// PlaceOrder or bulk whose slots would reach past it is refused <see cref="TxStatus.TooManyOrdersInBlock"/>.
    /// </summary>
    public const int MaxOrderSlots = 1 << (OrderIdTxBits - 1);

    public static ulong OrderIdOf(ulong blockNumber, int slot) => (blockNumber << OrderIdTxBits) | (uint)slot;

    internal void PlaceOrder(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        var slot = context.SlotOf(txIndex);
        if (slot >= MaxOrderSlots)
        {
            context.Reject(txIndex, TxStatus.TooManyOrdersInBlock);
            return;
        }
        var result = Place(tx, txIndex, OrderIdOf(context.BlockNumber, slot), context);
        context.Receipts[txIndex] = new Receipt(txIndex, result.Status, result.OrderId, result.FilledSize, result.RestingSize);
    }

    /// <summary>Places one order under <paramref name="orderId"/>: what a PlaceOrder does, and a bulk's place item.</summary>
    private BulkItemResult Place(in Transaction tx, int txIndex, ulong orderId, MarketBlockContext context)
    {
        var status = AdmitOrder(tx, out var position, out var price, out var size);
        if (status != TxStatus.Accepted)
        {
            return new BulkItemResult(status);
        }
        var order = new NewOrder(orderId, position.Index, tx.IsBuy, price, size, tx.OrderKind, tx.TimeInForce);
        var sink = new SettlementSink(this, context, txIndex, tx.Account);
        var result = Book.Place(order, ref sink);
        if (result.IsRejected)
        {
            return new BulkItemResult(result.Status switch
            {
                PlaceStatus.RejectedPostOnlyWouldCross => TxStatus.PostOnlyWouldCross,
                PlaceStatus.RejectedFokNotFillable => TxStatus.FokNotFillable,
                PlaceStatus.RejectedBookFull => TxStatus.BookFull,
                _ => TxStatus.InvalidOrder,
            });
        }
        if (result.RestingSize > 0)
        {
            AddOpenOrder(position, tx.IsBuy, price, result.RestingSize);
            _orders.Add(orderId, new OrderInfo(position.Index, tx.ClientOrderId, tx.ReduceOnly));
            if (tx.ClientOrderId != 0)
            {
                _clientOrderIds.Add((position.Index, tx.ClientOrderId), orderId);
            }
            MarkOrderPlaced(orderId);
        }
        MarkDirty(position);
        return new BulkItemResult(TxStatus.Accepted, orderId, result.FilledSize, result.RestingSize);
    }

    private TxStatus AdmitOrder(in Transaction tx, out PositionState position, out long price, out long size)
    {
        position = null!;
        price = size = 0;
        var terms = MarketRules.OrderTerms(tx, Params, HaltReason, OraclePrice);
        if (terms != TxStatus.Accepted)
        {
            return terms;
        }
        price = (long)tx.Price;
        size = (long)tx.Size;
        if (!_positions.TryGetValue(tx.Account, out position!) || position.IsEmpty)
        {
            // No margin in this market: nothing can be admitted, and no empty record is created. A position that holds
            // nothing counts as none, as it does once the node restarts (it is not stored).
            return TxStatus.InsufficientMargin;
        }
        var mayRest = tx.OrderKind == OrderKind.Limit && tx.TimeInForce is TimeInForce.Gtc or TimeInForce.PostOnly;
        if (mayRest && position.OpenOrders >= Params.MaxOpenOrdersPerAccount)
        {
            return TxStatus.TooManyOpenOrders;
        }
        if (tx.ClientOrderId != 0 && _clientOrderIds.ContainsKey((position.Index, tx.ClientOrderId)))
        {
            return TxStatus.DuplicateClientOrderId;
        }
        if (tx.ReduceOnly)
        {
            // Reduce-only is judged at placement: it may only shrink the position, and is cut to its size.
            var reducible = tx.IsBuy ? -position.Size : position.Size;
            if (reducible <= 0)
            {
                return TxStatus.ReduceOnlyWouldIncrease;
            }
            size = Math.Min(size, reducible);
            return TxStatus.Accepted;
        }
        var requirement = MarginMath.InitialRequirement(position, MarkPrice, Params.SizeScale, Params.InitialMarginPpm, (Int128)price * size);
        var fee = MarginMath.FractionUp(MarginMath.Notional(price, size, Params.SizeScale), Math.Max(Params.TakerFeePpm, Params.MakerFeePpm));
        return EquityAt(position, MarkPrice) - fee >= requirement ? TxStatus.Accepted : TxStatus.InsufficientMargin;
    }

    internal void CancelOrder(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        var status = tx.Kind == TxKind.CancelOrderByClientId
            ? CancelByClientId(tx.Account, tx.ClientOrderId, txIndex, context)
            : Cancel(tx.Account, tx.OrderId, txIndex, context);
        context.Receipts[txIndex] = new Receipt(txIndex, status);
    }

    /// <summary>Cancels <paramref name="account"/>'s open order with this client id: a CancelOrderByClientId, and a bulk's item.</summary>
    private TxStatus CancelByClientId(in Address account, ulong clientOrderId, int txIndex, MarketBlockContext context) =>
        _positions.TryGetValue(account, out var owner) && _clientOrderIds.TryGetValue((owner.Index, clientOrderId), out var orderId)
            ? Cancel(account, orderId, txIndex, context)
            : TxStatus.OrderNotFound;

    /// <summary>Cancels <paramref name="account"/>'s order <paramref name="orderId"/>: a CancelOrder, and a bulk's item.</summary>
    private TxStatus Cancel(in Address account, ulong orderId, int txIndex, MarketBlockContext context)
    {
        if (!Book.TryGet(orderId, out var resting) || _positionsByIndex[(int)resting.Account].Account != account)
        {
            return TxStatus.OrderNotFound;
        }
        RemoveRestingOrder(orderId, txIndex, context);
        return TxStatus.Accepted;
    }

    internal void CancelAllOrders(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        if (_positions.TryGetValue(tx.Account, out var position))
        {
            CancelAllOf(position, txIndex, context);
        }
        context.Accept(txIndex);
    }

    private void CancelAllOf(PositionState position, int txIndex, MarketBlockContext context)
    {
        if (position.OpenOrders == 0)
        {
            return;
        }
        var collector = new OrdersOfAccount(position.Index);
        Book.ForEachOrder(BookSide.Bid, ref collector);
        Book.ForEachOrder(BookSide.Ask, ref collector);
        foreach (var orderId in collector.OrderIds)
        {
            RemoveRestingOrder(orderId, txIndex, context);
        }
    }

    private void RemoveRestingOrder(ulong orderId, int txIndex, MarketBlockContext context)
    {
        Book.Cancel(orderId, out var cancelled);
        ForgetOrder(cancelled);
        var owner = _positionsByIndex[(int)cancelled.Account];
        context.Events.Add(new ExecutionEvent(EventKind.OrderCancelled, Id, txIndex, owner.Account, OrderId: orderId, Price: cancelled.Price, Size: cancelled.Size));
    }

    /// <summary>Drops an order that left the book (cancelled, or filled to nothing) from the engine's side.</summary>
    private void ForgetOrder(in RestingOrder order)
    {
        var owner = _positionsByIndex[(int)order.Account];
        RemoveOpenOrder(owner, order.IsBuy, order.Price, order.Size, countOrder: true);
        if (_orders.Remove(order.OrderId, out var info) && info.ClientOrderId != 0)
        {
            _clientOrderIds.Remove((order.Account, info.ClientOrderId));
        }
        MarkOrderChanged(order.OrderId, removed: true);
        MarkDirty(owner);
    }

    private static void AddOpenOrder(PositionState position, bool isBuy, long price, long size)
    {
        if (isBuy)
        {
            position.OpenBuySize += size;
            position.OpenBuyValue += (Int128)price * size;
        }
        else
        {
            position.OpenSellSize += size;
            position.OpenSellValue += (Int128)price * size;
        }
        position.OpenOrders++;
    }

    private static void RemoveOpenOrder(PositionState position, bool isBuy, long price, long size, bool countOrder)
    {
        if (isBuy)
        {
            position.OpenBuySize -= size;
            position.OpenBuyValue -= (Int128)price * size;
        }
        else
        {
            position.OpenSellSize -= size;
            position.OpenSellValue -= (Int128)price * size;
        }
        if (countOrder)
        {
            position.OpenOrders--;
        }
    }

    /// <summary>Collects one account's resting order ids (both sides, priority order).</summary>
    private struct OrdersOfAccount(uint account) : IOrderVisitor
    {
        public List<ulong> OrderIds { get; } = [];

        public readonly bool Visit(in RestingOrder order)
        {
            if (order.Account == account)
            {
                OrderIds.Add(order.OrderId);
            }
            return true;
        }
    }

    /// <summary>Settles every fill of one placement as the book reports it: positions, cash, fees, events.</summary>
    private struct SettlementSink(Market market, MarketBlockContext context, int txIndex, Address taker) : IFillSink
    {
        public readonly void OnFill(in Fill fill)
        {
            var maker = market._positionsByIndex[(int)fill.MakerAccount];
            var takerPosition = market._positionsByIndex[(int)fill.TakerAccount];
            market.SettleFunding(maker, context);
            market.SettleFunding(takerPosition, context);
            var notional = MarginMath.Notional(fill.Price, fill.Size, market.Params.SizeScale);
            var signed = fill.TakerIsBuy ? fill.Size : -fill.Size;
            takerPosition.Size += signed;
            takerPosition.Collateral -= fill.TakerIsBuy ? notional : -notional;
            maker.Size -= signed;
            maker.Collateral += fill.TakerIsBuy ? notional : -notional;

            var takerFee = MarginMath.FractionUp(notional, market.Params.TakerFeePpm);
            var makerFee = MarginMath.FractionUp(notional, market.Params.MakerFeePpm);
            takerPosition.Collateral -= takerFee;
            maker.Collateral -= makerFee;
            market.FeePool += takerFee + makerFee;

            RemoveOpenOrder(maker, !fill.TakerIsBuy, fill.Price, fill.Size, countOrder: false);
            if (fill.MakerFullyFilled)
            {
                maker.OpenOrders--;
                if (market._orders.Remove(fill.MakerOrderId, out var info) && info.ClientOrderId != 0)
                {
                    market._clientOrderIds.Remove((fill.MakerAccount, info.ClientOrderId));
                }
            }
            market.MarkOrderChanged(fill.MakerOrderId, removed: fill.MakerFullyFilled);
            market.MarkDirty(maker);
            market.MarkDirty(takerPosition);
            market.MarkRecordDirty();
            context.Events.Add(new ExecutionEvent(EventKind.Fill, market.Id, txIndex, taker, maker.Account, fill.TakerOrderId, fill.MakerOrderId, fill.Price, fill.Size, takerFee, fill.TakerIsBuy, makerFee));
        }

        public readonly void OnSelfTradeCancel(in RestingOrder cancelled, ulong takerOrderId)
        {
            market.ForgetOrder(cancelled);
            context.Events.Add(new ExecutionEvent(EventKind.SelfTradeCancel, market.Id, txIndex, taker, OrderId: cancelled.OrderId, OtherOrderId: takerOrderId, Price: cancelled.Price, Size: cancelled.Size));
        }
    }
}
