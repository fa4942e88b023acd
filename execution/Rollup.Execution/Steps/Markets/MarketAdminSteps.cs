using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Steps.Markets;

/// <summary>The market's own administration as messages: its creation, parameters, pause and resume, and oracle prices.</summary>
internal static class MarketAdminSteps
{
    public static TxStatus? Create(MarketStepRun run, in Transaction tx)
    {
        if (run.MarketExists || tx.Params is null)
        {
            throw new StepProofException($"market {run.State.Market} is created twice");
        }
        run.Record = new MarketRecord(new MarketSnapshot(HaltReason.None, 0, 0, 0, 0, 0, 0, 0, 0, tx.Params, 0, 0), 0, 0);
        return TxStatus.Accepted;
    }

    /// <summary>The book's bounds and the contract's units are fixed at creation: resting orders depend on them.</summary>
    public static TxStatus? SetParams(MarketStepRun run, in Transaction tx)
    {
        var now = run.Market.Params;
        var next = tx.Params!;
        if (next.TickSize != now.TickSize || next.LotSize != now.LotSize || next.SizeScale != now.SizeScale
            || next.MaxBookOrders != now.MaxBookOrders || next.MaxBookLevels != now.MaxBookLevels)
        {
            return TxStatus.InvalidMarketParams;
        }
        run.Market = run.Market with { Params = next };
        return TxStatus.Accepted;
    }

    public static TxStatus? Pause(MarketStepRun run)
    {
        if (run.Market.HaltReason == HaltReason.None)
        {
            run.Market = run.Market with { HaltReason = HaltReason.OperatorPause };
        }
        return TxStatus.Accepted;
    }

    /// <summary>Lifts a pause or a circuit-breaker halt; the breaker's window restarts from the current mark.</summary>
    public static TxStatus? Resume(MarketStepRun run)
    {
        run.Market = run.Market with { HaltReason = HaltReason.None, HaltWindowStartMark = 0 };
        return TxStatus.Accepted;
    }

    public static TxStatus? Oracle(MarketStepRun run, in Transaction tx)
    {
        var market = run.Market;
        var signer = false;
        foreach (var key in market.Params.OracleSigners)
        {
            signer |= key == tx.Account;
        }
        if (!signer)
        {
            return TxStatus.NotOracleSigner;
        }
        if (tx.Price == 0 || tx.Price > long.MaxValue / 2 || tx.Price % market.Params.TickSize != 0)
        {
            return TxStatus.InvalidPrice;
        }
        if (tx.Timestamp <= market.OracleTimestamp)
        {
            return TxStatus.OracleOutOfOrder;
        }
        var blockTime = run.State.Timestamp;
        if (tx.Timestamp + Market.OracleMaxAgeMs < blockTime || tx.Timestamp > blockTime + Market.OracleMaxLeadMs)
        {
            return TxStatus.StaleOracle;
        }
        // Margin checks later in the block see the new price; the circuit breaker looks at the end of the block.
        var (bid, ask) = run.BestPrices();
        run.Market = market with { OraclePrice = (long)tx.Price, OracleTimestamp = tx.Timestamp, MarkPrice = MarketRules.Mark((long)tx.Price, bid, ask) };
        return TxStatus.Accepted;
    }
}
