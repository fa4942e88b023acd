using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// Liquidations, as the engine runs them (Market.Liquidate), one bounded stage a step (docs/steps.md,
/// "LiquidationStart", "LiquidationContinue"): the first position of the liquidation order below maintenance is
/// stripped of its orders, settles its funding, closes into the book no worse than its bankruptcy price, pays the fee,
/// is taken over by the insurance fund if the fund stays solvent, and what is left is auto-deleveraged against the
/// most profitable opposite positions; a remainder halts the market.
/// </summary>
internal static class MarketLiquidationSteps
{
    /// <summary>LiquidationStart if the first long, else the first short, is below its threshold at the mark; else NoneLeft.</summary>
    public static MarketStepKind Check(MarketStepRun run)
    {
        var market = run.Market;
        if (market.MarkPrice != 0 && !run.IsCancelOnly)
        {
            foreach (var isLong in (ReadOnlySpan<bool>)[true, false])
            {
                var first = run.Leaves.ReadEdge(isLong ? MarketTree.Longs : MarketTree.Shorts, isLong ? run.State.Longs : run.State.Shorts, first: true);
                var threshold = RiskKey.Threshold(isLong, market.FundingIndex, market.MarkPrice, market.Params.SizeScale, market.Params.MaintenanceMarginPpm);
                if (first is not null && MarketLeaves.RiskLeafK(first.Key) < threshold)
                {
                    var position = RiskLeafOwner(run, first, isLong);
                    run.State = run.State with
                    {
                        Pending = new LiquidationWork(position.Account, LiquidationStage.Cancel, isLong, 0, 0, 0, 0, 0).Encode(),
                        LiquidatedThisRound = true,
                    };
                    return MarketStepKind.LiquidationStart;
                }
            }
        }
        run.State = run.State with { Phase = MarketPhase.MarkAgain };
        return MarketStepKind.NoneLeft;
    }

    public static MarketStepKind Continue(MarketStepRun run)
    {
        if (MarketPending.KindOf(run.State.Pending) != PendingKind.Liquidation)
        {
            throw new StepProofException("the pending work is not a liquidation");
        }
        var work = LiquidationWork.Decode(run.State.Pending);
        var next = work.Stage switch
        {
            LiquidationStage.Cancel => Cancel(run, work),
            LiquidationStage.Sweep => Sweep(run, work),
            LiquidationStage.Takeover => Takeover(run, work),
            LiquidationStage.Deleverage => Deleverage(run, work),
            _ => Finish(run, work),
        };
        run.State = run.State with { Pending = next?.Encode() ?? [] };
        return MarketStepKind.LiquidationContinue;
    }

    /// <summary>Up to C of its resting orders; once none is left, its funding, its bankruptcy price and the limit it closes at.</summary>
    private static LiquidationWork Cancel(MarketStepRun run, LiquidationWork work)
    {
        var position = run.ReadPosition(work.Account);
        var leaf = position.Leaf;
        for (var cancelled = 0; leaf.Orders.Count > 0 && cancelled < run.Context.CancelsPerStep; cancelled++)
        {
            var order = leaf.Orders[0];
            run.RemoveOrder(order.IsBuy, order.Price, order.OrderId, work.Account, order.ReduceOnly);
            leaf.Orders.RemoveAt(0);
        }
        if (leaf.Orders.Count > 0)
        {
            run.WritePosition(position);
            return work;
        }
        run.SettleFunding(leaf);
        var size = Math.Abs(leaf.Size);
        var bankruptcy = BankruptcyPrice(leaf, run.Market.Params.SizeScale);
        var tick = (long)run.Market.Params.TickSize;
        // An IOC reduce no worse than the bankruptcy price, rounded to a tick in the trader's favour.
        var limit = work.IsLong ? (bankruptcy + tick - 1) / tick * tick : bankruptcy / tick * tick;
        run.WritePosition(position);
        return work with { Stage = LiquidationStage.Sweep, Size = size, Bankruptcy = bankruptcy, Limit = limit, Filled = 0, Remaining = size };
    }

    /// <summary>Closing into the book: up to F fills against the best opposite orders at or better than the limit.</summary>
    private static LiquidationWork Sweep(MarketStepRun run, LiquidationWork work)
    {
        var position = run.ReadPosition(work.Account);
        var remaining = work.Remaining;
        var done = work.Limit <= 0 || MarketOrderSteps.SweepBook(run, position, isBuy: !work.IsLong, work.Limit, ref remaining);
        run.WritePosition(position);
        return work with
        {
            Stage = done ? LiquidationStage.Takeover : LiquidationStage.Sweep,
            Filled = work.Filled + (work.Remaining - remaining),
            Remaining = remaining,
        };
    }

    /// <summary>The fee on what the book took, then the insurance fund takes the rest at the bankruptcy price if it stays solvent at the mark.</summary>
    private static LiquidationWork Takeover(MarketStepRun run, LiquidationWork work)
    {
        var parameters = run.Market.Params;
        var mark = run.Market.MarkPrice;
        var position = run.ReadPosition(work.Account);
        var fund = run.ReadPosition(Address.Zero);
        if (work.Filled > 0)
        {
            var notional = MarginMath.Notional(mark, work.Filled, parameters.SizeScale);
            var fee = Math.Min(MarginMath.FractionUp(notional, parameters.LiquidationFeePpm), Math.Max(0, run.EquityAt(position.Leaf, mark)));
            position.Leaf.Collateral -= fee;
            fund.Leaf.Collateral += fee;
        }
        var remaining = work.Remaining;
        if (remaining > 0)
        {
            var signed = work.IsLong ? remaining : -remaining;
            var cash = MarginMath.Notional(work.Bankruptcy, signed, parameters.SizeScale);
            run.SettleFunding(fund.Leaf);
            var fundEquityAfter = fund.Leaf.Collateral - cash + MarginMath.Notional(mark, fund.Leaf.Size + signed, parameters.SizeScale);
            if (fundEquityAfter >= 0)
            {
                Transfer(position.Leaf, fund.Leaf, signed, cash);
                remaining = 0;
            }
        }
        run.WritePosition(position);
        run.WritePosition(fund);
        return work with { Stage = remaining > 0 ? LiquidationStage.Deleverage : LiquidationStage.Finish, Remaining = remaining };
    }

    /// <summary>One counterparty: the most profitable opposite position (the rightmost of its side) takes what it can at the bankruptcy price.</summary>
    private static LiquidationWork Deleverage(MarketStepRun run, LiquidationWork work)
    {
        var position = run.ReadPosition(work.Account);
        var last = run.Leaves.ReadEdge(work.IsLong ? MarketTree.Shorts : MarketTree.Longs, work.IsLong ? run.State.Shorts : run.State.Longs, first: false);
        if (last is null)
        {
            return work with { Stage = LiquidationStage.Finish };
        }
        var counterparty = RiskLeafOwner(run, last, !work.IsLong);
        run.SettleFunding(counterparty.Leaf);
        var quantity = Math.Min(work.Remaining, Math.Abs(counterparty.Leaf.Size));
        var signed = work.IsLong ? quantity : -quantity;
        Transfer(position.Leaf, counterparty.Leaf, signed, MarginMath.Notional(work.Bankruptcy, signed, run.Market.Params.SizeScale));
        run.WritePosition(counterparty);
        run.WritePosition(position);
        var remaining = work.Remaining - quantity;
        return work with { Stage = remaining > 0 ? LiquidationStage.Deleverage : LiquidationStage.Finish, Remaining = remaining };
    }

    /// <summary>A remainder halts the market; a closed bankrupt position's negative dust goes to the fund. The liquidation is done.</summary>
    private static LiquidationWork? Finish(MarketStepRun run, LiquidationWork work)
    {
        if (work.Remaining > 0)
        {
            run.Market = run.Market with { HaltReason = HaltReason.Insolvent };
        }
        var position = run.ReadPosition(work.Account);
        if (position.Leaf.Size == 0 && position.Leaf.Collateral < 0)
        {
            var fund = run.ReadPosition(Address.Zero);
            fund.Leaf.Collateral += position.Leaf.Collateral;
            position.Leaf.Collateral = 0;
            run.WritePosition(position);
            run.WritePosition(fund);
        }
        if (position.Leaf.Size != 0 && !run.IsCancelOnly)
        {
            // The engine treats this as a broken invariant and faults the market: no step exists for it.
            throw new StepProofException($"the liquidation of {work.Account} left it with size {position.Leaf.Size}");
        }
        return null;
    }

    /// <summary>The position a risk leaf belongs to (the key's last 20 bytes), held to the key its own leaf gives.</summary>
    private static PositionAt RiskLeafOwner(MarketStepRun run, OrderedStepLeaf risk, bool isLong)
    {
        var account = new Address(risk.Key.Bytes[12..]);
        var position = run.ReadPosition(account);
        if (position.RiskAtRead is not { } own || own.IsLong != isLong || MarketLeaves.RiskLeafKey(own.Key) != risk.Key)
        {
            throw new StepProofException($"the risk leaf of {account} is not its position's");
        }
        return position;
    }

    /// <summary>The price at which the position's equity is zero: −collateral·scale/size.</summary>
    private static long BankruptcyPrice(PositionLeaf position, ulong sizeScale)
    {
        var price = -(Int128)position.Collateral * sizeScale / position.Size;
        return price <= 0 ? 0 : (long)Int128.Min(price, long.MaxValue / 2);
    }

    /// <summary>Moves <paramref name="signedSize"/> of position from one holder to another for <paramref name="cash"/>.</summary>
    private static void Transfer(PositionLeaf from, PositionLeaf to, long signedSize, long cash)
    {
        from.Size -= signedSize;
        from.Collateral += cash;
        to.Size += signedSize;
        to.Collateral -= cash;
    }
}
