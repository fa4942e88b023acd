using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Markets;

/// <summary>A transaction routed to a market, with its index in the block.</summary>
public readonly record struct MarketTx(int TxIndex, Transaction Tx);

/// <summary>A broken market invariant: the market's changes for the block are discarded and it halts.</summary>
public sealed class MarketInvariantException : Exception
{
    public MarketInvariantException(string message)
        : base(message)
    {
    }

    public MarketInvariantException()
    {
    }

    public MarketInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

public sealed partial class Market
{
    /// <summary>
    /// Runs this market's share of a block: its transactions in block order, then the mark price, circuit
    /// breaker, funding if due, liquidations (with the mark again after them, until it holds), and the invariant
    /// checks. Throws on a broken invariant.
    /// </summary>
    public void ExecuteBlock(ReadOnlySpan<MarketTx> transactions, MarketBlockContext context)
    {
        foreach (var item in transactions)
        {
            context.TxIndex = item.TxIndex;
            Execute(item.Tx, item.TxIndex, context);
        }
        context.TxIndex = -1;
        UpdateMark(context);
        if (IsFundingDue(context.BlockNumber))
        {
            PayFunding(context);
        }
        LiquidateUnderwater(context);
        CheckInvariants();
    }

    private void Execute(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        switch (tx.Kind)
        {
            case TxKind.TransferMargin when tx.ToMarket:
                MarginIn(tx, txIndex, context);
                break;
            case TxKind.TransferMargin:
                MarginOut(tx, txIndex, context);
                break;
            case TxKind.PlaceOrder:
                PlaceOrder(tx, txIndex, context);
                break;
            case TxKind.CancelOrder:
            case TxKind.CancelOrderByClientId:
                CancelOrder(tx, txIndex, context);
                break;
            case TxKind.CancelAllOrders:
                CancelAllOrders(tx, txIndex, context);
                break;
            case TxKind.OracleUpdate:
                ApplyOracleUpdate(tx, txIndex, context);
                break;
            case TxKind.SetMarketParams:
                SetParams(tx, txIndex, context);
                break;
            case TxKind.PauseMarket:
                Pause(txIndex, context);
                break;
            case TxKind.ResumeMarket:
                Resume(txIndex, context);
                break;
            case TxKind.Bulk:
                ExecuteBulk(tx, txIndex, context);
                break;
            default:
                throw new MarketInvariantException($"transaction kind {tx.Kind} was routed to market {Id}");
        }
    }

    /// <summary>Every position's size sums to zero, and every unit of collateral moved in is accounted for.</summary>
    public void CheckInvariants()
    {
        var size = 0L;
        foreach (var position in _positionsByIndex)
        {
            size += position.Size;
            if (position.OpenOrders < 0 || position.OpenBuySize < 0 || position.OpenSellSize < 0)
            {
                throw new MarketInvariantException($"market {Id}: negative open-order totals for {position.Account}");
            }
        }
        if (size != 0)
        {
            throw new MarketInvariantException($"market {Id}: positions sum to {size}, not zero");
        }
        if (TotalCollateral != NetTransfersIn)
        {
            throw new MarketInvariantException($"market {Id}: collateral {TotalCollateral} != transfers in {NetTransfersIn}");
        }
        if (Book.TryGetBestBid(out var bid) && Book.TryGetBestAsk(out var ask) && bid >= ask)
        {
            throw new MarketInvariantException($"market {Id}: book crossed ({bid} >= {ask})");
        }
    }
}
