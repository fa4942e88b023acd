using Rollup.Execution.Blocks;
using Rollup.Primitives;
using P = Rollup.Proto.V1;

namespace Rollup.Api;

/// <summary>
/// An execution event as one of its parties sees it on its account stream (streams.proto, AccountEvent): a fill's maker
/// sees its own side, fee and order first, a deleverage's counterparty the cash it paid.
/// </summary>
public static class AccountEventView
{
    /// <summary>Whether <paramref name="account"/> is a party to the event.</summary>
    public static bool Concerns(in ExecutionEvent e, in Address account) =>
        e.Account == account || (e.Counterparty == account && e.Kind is EventKind.Fill or EventKind.Deleverage);

    public static P.AccountEvent For(in ExecutionEvent e, in Address account, ulong blockNumber)
    {
        var isSubject = e.Account == account;
        var view = new P.AccountEvent
        {
            BlockNumber = blockNumber, TxIndex = (uint)Math.Max(0, e.TxIndex), Kind = e.Kind.ToString(), Market = e.Market,
            Counterparty = ProtoViews.Bytes(isSubject ? e.Counterparty : e.Account),
            OrderId = isSubject ? e.OrderId : e.OtherOrderId, OtherOrderId = isSubject ? e.OtherOrderId : e.OrderId,
            Price = e.Price, Size = e.Size, Amount = e.Amount,
        };
        switch (e.Kind)
        {
            case EventKind.Fill:
                view.Role = isSubject ? "taker" : "maker";
                view.IsBuy = isSubject ? e.IsBuy : !e.IsBuy;
                view.Amount = isSubject ? e.Amount : e.OtherAmount;
                break;
            case EventKind.Deleverage:
                view.Role = isSubject ? "liquidated" : "counterparty";
                view.Amount = isSubject ? e.Amount : -e.Amount;
                view.OrderId = view.OtherOrderId = 0;
                break;
        }
        return view;
    }
}
