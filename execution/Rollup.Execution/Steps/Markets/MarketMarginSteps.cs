using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Steps.Markets;

/// <summary>Collateral moving between an account's free balance (the accounts domain) and its position in this market.</summary>
internal static class MarketMarginSteps
{
    /// <summary>Credits collateral the accounts domain already took from the free balance.</summary>
    public static TxStatus? In(MarketStepRun run, in Transaction tx)
    {
        var position = run.ReadPosition(tx.Account);
        run.SettleFunding(position.Leaf);
        position.Leaf.Collateral += (long)tx.Amount;
        run.Market = run.Market with { NetTransfersIn = run.Market.NetTransfersIn + (long)tx.Amount };
        run.WritePosition(position);
        return TxStatus.Accepted;
    }

    /// <summary>
    /// Moves collateral out if what stays covers the initial margin of the position and its resting orders at the
    /// mark; the amount goes back to the accounts domain as a margin reply.
    /// </summary>
    public static TxStatus? Out(MarketStepRun run, in Transaction tx, uint txIndex)
    {
        var position = run.ReadPosition(tx.Account);
        if (!position.Existed || tx.Amount > long.MaxValue)
        {
            return TxStatus.InsufficientMargin;
        }
        var amount = (long)tx.Amount;
        var mark = run.Market.MarkPrice == 0 ? run.Market.OraclePrice : run.Market.MarkPrice;
        if (run.EquityAt(position.Leaf, mark) - amount < run.InitialRequirement(position.Leaf, mark, 0))
        {
            return TxStatus.InsufficientMargin;
        }
        run.SettleFunding(position.Leaf);
        position.Leaf.Collateral -= amount;
        run.Market = run.Market with { NetTransfersIn = run.Market.NetTransfersIn - amount };
        run.WritePosition(position);
        run.Reply(txIndex, tx.Account, amount);
        return TxStatus.Accepted;
    }
}
