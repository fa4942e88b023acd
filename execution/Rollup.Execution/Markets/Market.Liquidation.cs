using Rollup.Execution.Blocks;
using Rollup.Execution.Matching;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    /// <summary>
    /// Liquidates, one at a time, the first position of the liquidation order below maintenance at the mark (longs
    /// before shorts), until none is left or the market halts; then updates the mark, which the liquidations' fills
    /// may have moved, and goes on at the new mark until it holds. So at the end of a block no position of a live
    /// market is below maintenance at its final mark. A position is first stripped of its resting orders and closed
    /// into the book no worse than its bankruptcy price; what the book cannot take, the insurance fund assumes at
    /// the bankruptcy price if its equity stays non-negative; what is left is auto-deleveraged against the most
    /// profitable opposite positions of this market.
    /// </summary>
    internal void LiquidateUnderwater(MarketBlockContext context)
    {
        while (true)
        {
            var liquidated = false;
            if (MarkPrice != 0)
            {
                RefreshRiskOrder();
                while (!IsCancelOnly && TryGetNextToLiquidate(out var position))
                {
                    Liquidate(position, context);
                    if (position.Size != 0 && !IsCancelOnly)
                    {
                        throw new MarketInvariantException($"market {Id}: liquidation left {position.Account} with size {position.Size}");
                    }
                    RefreshRiskOrder();
                    liquidated = true;
                }
            }
            var mark = MarkPrice;
            UpdateMark(context);
            if (!liquidated || MarkPrice == mark || IsCancelOnly)
            {
                return;
            }
        }
    }

    private void Liquidate(PositionState position, MarketBlockContext context)
    {
        CancelAllOf(position, context.TxIndex, context);
        SettleFunding(position, context);
        var isLong = position.Size > 0;
        var size = Math.Abs(position.Size);
        var bankruptcy = BankruptcyPrice(position);

        // Into the book: an IOC reduce at no worse than the bankruptcy price, rounded to a tick in the trader's favour.
        var limit = isLong ? RoundUpToTick(bankruptcy) : RoundDownToTick(bankruptcy);
        var filled = 0L;
        if (limit > 0)
        {
            var orderId = OrderIdOf(context.BlockNumber, (1 << OrderIdTxBits) - 1) - (ulong)position.Index;
            var sink = new SettlementSink(this, context, context.TxIndex, position.Account);
            var result = Book.Place(new NewOrder(orderId, position.Index, !isLong, limit, size, OrderKind.Limit, TimeInForce.Ioc), ref sink);
            filled = result.FilledSize;
        }
        if (filled > 0)
        {
            var notional = MarginMath.Notional(MarkPrice, filled, Params.SizeScale);
            var fee = Math.Min(MarginMath.FractionUp(notional, Params.LiquidationFeePpm), Math.Max(0, EquityAt(position, MarkPrice)));
            position.Collateral -= fee;
            Fund.Collateral += fee;
            context.Events.Add(new ExecutionEvent(EventKind.Liquidation, Id, context.TxIndex, position.Account, Price: limit, Size: filled, Amount: fee));
        }
        var remaining = size - filled;
        if (remaining > 0)
        {
            remaining -= InsuranceTakeover(position, remaining, bankruptcy, context);
        }
        if (remaining > 0)
        {
            remaining -= Deleverage(position, remaining, bankruptcy, context);
        }
        if (remaining > 0)
        {
            Halt(HaltReason.Insolvent, context);
        }
        if (position.Size == 0 && position.Collateral < 0)
        {
            // Rounding dust of a closed bankrupt position: the fund absorbs it so no account owes the market.
            Fund.Collateral += position.Collateral;
            position.Collateral = 0;
        }
        MarkDirty(position);
        MarkDirty(Fund);
        MarkRecordDirty();
    }

    /// <summary>The price at which the position's equity is zero: −collateral·scale/size.</summary>
    private long BankruptcyPrice(PositionState position)
    {
        var price = -(Int128)position.Collateral * Params.SizeScale / position.Size;
        return price <= 0 ? 0 : (long)Int128.Min(price, long.MaxValue / 2);
    }

    private long InsuranceTakeover(PositionState position, long size, long price, MarketBlockContext context)
    {
        var signed = position.Size > 0 ? size : -size;
        var cash = MarginMath.Notional(price, signed, Params.SizeScale);
        var fund = Fund;
        SettleFunding(fund, context);
        // The fund takes the position at the bankruptcy price only if it stays solvent at the mark.
        var fundEquityAfter = fund.Collateral - cash + MarginMath.Notional(MarkPrice, fund.Size + signed, Params.SizeScale);
        if (fundEquityAfter < 0)
        {
            return 0;
        }
        Transfer(position, fund, signed, cash);
        context.Events.Add(new ExecutionEvent(EventKind.InsuranceTakeover, Id, context.TxIndex, position.Account, Price: price, Size: size, Amount: cash));
        return size;
    }

    /// <summary>
    /// Closes <paramref name="size"/> of the position against opposite positions, most profitable first (the
    /// highest K of their side: equity per unit of notional at the mark is monotone in it), at the bankruptcy price.
    /// The insurance fund is never deleveraged.
    /// </summary>
    private long Deleverage(PositionState position, long size, long price, MarketBlockContext context)
    {
        var isLong = position.Size > 0;
        RefreshRiskOrder();
        var done = 0L;
        while (done < size && TryGetMostProfitable(longs: !isLong, out var counterparty))
        {
            SettleFunding(counterparty, context);
            var quantity = Math.Min(size - done, Math.Abs(counterparty.Size));
            var signed = isLong ? quantity : -quantity;
            var cash = MarginMath.Notional(price, signed, Params.SizeScale);
            Transfer(position, counterparty, signed, cash);
            MarkDirty(counterparty);
            PlaceInRiskOrder(counterparty);
            done += quantity;
            context.Events.Add(new ExecutionEvent(EventKind.Deleverage, Id, context.TxIndex, position.Account, counterparty.Account, Price: price, Size: quantity, Amount: cash));
        }
        return done;
    }

    /// <summary>Moves <paramref name="signedSize"/> of position from one holder to another for <paramref name="cash"/>.</summary>
    private static void Transfer(PositionState from, PositionState to, long signedSize, long cash)
    {
        from.Size -= signedSize;
        from.Collateral += cash;
        to.Size += signedSize;
        to.Collateral -= cash;
    }

    private long RoundUpToTick(long price)
    {
        var tick = (long)Params.TickSize;
        var rounded = (price + tick - 1) / tick * tick;
        return rounded;
    }

    private long RoundDownToTick(long price)
    {
        var tick = (long)Params.TickSize;
        return price / tick * tick;
    }
}
