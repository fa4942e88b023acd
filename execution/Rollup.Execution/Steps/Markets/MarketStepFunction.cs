using System.Buffers.Binary;
using Rollup.Execution.Markets;
using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// A market domain's step function (docs/steps.md, "Market domains"): one step from a state, the batch's inputs and the
/// leaves it reads. It sees only proven leaves, so run on a witness it is the check L1's verifier makes, and run on
/// whole trees it is what builds the trace. Each step kind is one small unit here or in the files beside it.
/// </summary>
public static class MarketStepFunction
{
    public static MarketState Apply(MarketState pre, MarketStepContext context, IMarketLeafSource leaves, out MarketStepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(pre);
        var run = new MarketStepRun(pre, context, leaves);
        var kind = pre.Phase switch
        {
            MarketPhase.BlockStart => BlockStart(run),
            MarketPhase.Inbox when pre.HasPending => MarketOrderSteps.Continue(run),
            MarketPhase.Inbox => Inbox(run),
            MarketPhase.Mark => Mark(run),
            MarketPhase.Liquidation when pre.HasPending => MarketLiquidationSteps.Continue(run),
            MarketPhase.Liquidation => MarketLiquidationSteps.Check(run),
            MarketPhase.MarkAgain => MarkAgain(run),
            _ => throw new StepProofException($"phase {pre.Phase} is not a market phase"),
        };
        outcome = run.Outcome with { Kind = kind };
        return run.Finish();
    }

    /// <summary>The verifier's check: the step on exactly the witness's leaves, each proven against the state's roots.</summary>
    public static MarketState Verify(MarketState pre, MarketStepContext context, IReadOnlyList<MarketWitnessLeaf> witness)
    {
        var leaves = new MarketWitnessSource(witness);
        var post = Apply(pre, context, leaves, out _);
        leaves.RequireAllRead();
        return post;
    }

    /// <summary>
    /// The next block: its header, whether the accounts domain routed the market a message in it, and whether funding is
    /// due. A market with neither is not run in the block; it only moves to it.
    /// </summary>
    private static MarketStepKind BlockStart(MarketStepRun run)
    {
        var block = run.State.Block + 1;
        var header = run.Leaves.ReadInput(StepTree.Blocks, run.Context.BlocksRoot, StepKeys.Block(block));
        if (header.Record.Length != StepKeys.BlockHeaderLength)
        {
            throw new StepProofException($"block {block} is not in the batch");
        }
        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(header.Record);
        var message = run.Leaves.ReadInput(StepTree.Outbox, run.Context.AccountsOutboxRoot, StepKeys.OutboxMessage(run.State.Market, block, 0));
        var due = run.MarketExists && MarketRules.IsFundingDue(run.Market.Params, run.Market.OraclePrice, run.Market.LastFundingBlock, block);
        run.State = run.State with
        {
            Block = block,
            Timestamp = timestamp,
            NextMessage = 0,
            Phase = message.IsPresent || due ? MarketPhase.Inbox : MarketPhase.BlockStart,
        };
        return MarketStepKind.BlockStart;
    }

    /// <summary>The next routed message, a Message step; or none left, InboxEnd.</summary>
    private static MarketStepKind Inbox(MarketStepRun run)
    {
        var message = run.Leaves.ReadInput(StepTree.Outbox, run.Context.AccountsOutboxRoot, StepKeys.OutboxMessage(run.State.Market, run.State.Block, run.State.NextMessage));
        if (!message.IsPresent)
        {
            run.State = run.State with { Phase = MarketPhase.Mark };
            return MarketStepKind.InboxEnd;
        }
        MarketMessageStep.Apply(run, message);
        run.State = run.State with { NextMessage = run.State.NextMessage + 1 };
        return MarketStepKind.Message;
    }

    /// <summary>The mark from the oracle and the best bid and ask, the circuit breaker, and a funding event if due.</summary>
    private static MarketStepKind Mark(MarketStepRun run)
    {
        UpdateMark(run);
        var market = run.Market;
        if (MarketRules.IsFundingDue(market.Params, market.OraclePrice, market.LastFundingBlock, run.State.Block))
        {
            var rate = MarketRules.FundingRate(market.MarkPrice, market.OraclePrice, market.Params.FundingCapPpm);
            run.Market = market with
            {
                LastFundingBlock = run.State.Block,
                FundingIndex = rate == 0 ? market.FundingIndex : FundingMath.Move(market.FundingIndex, rate, market.OraclePrice, market.Params.SizeScale),
            };
        }
        run.State = run.State with { Phase = MarketPhase.Liquidation };
        return MarketStepKind.Mark;
    }

    /// <summary>The mark again: if liquidations moved it, the liquidation phase runs again at the new mark; else the block is done.</summary>
    private static MarketStepKind MarkAgain(MarketStepRun run)
    {
        var before = run.Market.MarkPrice;
        UpdateMark(run);
        var again = run.State.LiquidatedThisRound && run.Market.MarkPrice != before && !run.IsCancelOnly;
        run.State = run.State with
        {
            Phase = again ? MarketPhase.Liquidation : MarketPhase.BlockStart,
            NextMessage = again ? run.State.NextMessage : 0,
            LiquidatedThisRound = false,
        };
        return MarketStepKind.MarkAgain;
    }

    /// <summary>The mark from the book's best prices, and the circuit breaker's window and trip.</summary>
    internal static void UpdateMark(MarketStepRun run)
    {
        var (bid, ask) = run.BestPrices();
        var market = run.Market;
        var mark = MarketRules.Mark(market.OraclePrice, bid, ask);
        market = market with { MarkPrice = mark };
        if (mark != 0)
        {
            if (MarketRules.BreakerWindowRestarts(market.HaltWindowStartMark, market.HaltWindowStartBlock, market.Params.HaltWindowBlocks, run.State.Block))
            {
                market = market with { HaltWindowStartBlock = run.State.Block, HaltWindowStartMark = mark };
            }
            else if (MarketRules.BreakerTrips(mark, market.HaltWindowStartMark, market.Params.HaltMovePpm) && market.HaltReason == Blocks.HaltReason.None)
            {
                market = market with { HaltReason = Blocks.HaltReason.MarkMove };
            }
        }
        if (market != run.Market)
        {
            run.Market = market;
        }
    }
}
