using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.State;

/// <summary>
/// What an account's free balance may pay for while part of it is held (docs/state.md, "Held credits"), in one place
/// for the engine and the accounts step function. Unheld funds (free minus what is held) go first. A withdrawal may
/// then draw on held credits, in market order; a transfer into market m only on m's own (funds still depending on
/// another market never become margin elsewhere, so no other market's outbox inherits that market's dispute). Every
/// transfer, in or out, keeps a held entry for its market live through its block, for the reply it may get.
/// </summary>
public static class AccountFunds
{
    /// <summary>
    /// A withdrawal; <paramref name="drawnFrom"/> is null unless it drew on held credits, and then names them (its
    /// leaf carries them, docs/state.md "Withdrawals").
    /// </summary>
    public static TxStatus Withdraw(AccountState account, ulong amount, ulong block, out ValueArray<HeldDraw>? drawnFrom)
    {
        drawnFrom = null;
        if (Debitable(account, amount) is var refused and not TxStatus.Accepted)
        {
            return refused;
        }
        var drawn = DrawnFromHeld(account, (long)amount);
        account.FreeBalance -= (long)amount;
        if (drawn > 0)
        {
            drawnFrom = account.Held.Draw(drawn, block);
        }
        return TxStatus.Accepted;
    }

    public static TxStatus TransferIn(AccountState account, uint market, ulong amount, ulong block)
    {
        if (Debitable(account, amount) is var refused and not TxStatus.Accepted)
        {
            return refused;
        }
        var drawn = DrawnFromHeld(account, (long)amount);
        if (drawn > account.Held.In(market))
        {
            return TxStatus.FundsHeld;
        }
        if (!account.Held.CanHold(market, block))
        {
            return TxStatus.HeldInTooManyMarkets;
        }
        account.FreeBalance -= (long)amount;
        if (drawn > 0)
        {
            account.Held.DrawFrom(market, drawn, block);
        }
        account.Held.Reserve(market, block);
        return TxStatus.Accepted;
    }

    public static TxStatus TransferOut(AccountState account, uint market, ulong block)
    {
        if (!account.Held.CanHold(market, block))
        {
            return TxStatus.HeldInTooManyMarkets;
        }
        account.Held.Reserve(market, block);
        return TxStatus.Accepted;
    }

    /// <summary>A margin reply's credit from <paramref name="market"/>: free and held; false if it could be held nowhere (and nothing was credited).</summary>
    public static bool Credit(AccountState account, uint market, ulong block, long amount)
    {
        if (!account.Held.Credit(market, block, amount))
        {
            return false;
        }
        account.FreeBalance += amount;
        return true;
    }

    /// <summary>A debit's refusals: a zero amount, or more than the free balance (a negative balance covers nothing).</summary>
    private static TxStatus Debitable(AccountState account, ulong amount) =>
        amount == 0 ? TxStatus.ZeroAmount
        : amount > (ulong)Math.Max(account.FreeBalance, 0) ? TxStatus.InsufficientBalance
        : TxStatus.Accepted;

    /// <summary>What of <paramref name="amount"/> the unheld funds (free minus held, none if held exceeds free) do not cover.</summary>
    private static long DrawnFromHeld(AccountState account, long amount)
    {
        var unheld = Math.Max(account.FreeBalance - account.Held.Total, 0);
        return Math.Max(amount - unheld, 0);
    }
}
