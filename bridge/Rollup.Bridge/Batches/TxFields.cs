using Rollup.Execution.Transactions;

namespace Rollup.Bridge.Batches;

/// <summary>Which columns each transaction kind writes, besides its kind and account (docs/batches.md).</summary>
[Flags]
internal enum TxFields
{
    None = 0,
    Market = 1 << 0,
    Nonce = 1 << 1,
    Flags = 1 << 2,
    Price = 1 << 3,
    Size = 1 << 4,
    Amount = 1 << 5,
    ClientOrderId = 1 << 6,
    OrderId = 1 << 7,
    DepositIndex = 1 << 8,
    OracleTimestamp = 1 << 9,
    Params = 1 << 10,
    Signature = 1 << 11,
    /// <summary>A bulk's item count and, per item, its flags (action in bits 6-7) and its action's fields.</summary>
    BulkItems = 1 << 12,
}

/// <summary>The columns of each kind, from its fields as <see cref="TxLayout"/> defines them, worked out once.</summary>
internal static class TxFieldsOf
{
    private static readonly TxFields[] ByKind = Build();

    public static TxFields Kind(TxKind kind) =>
        kind.IsDefined() ? ByKind[(int)kind] : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a transaction kind");

    private static TxFields[] Build()
    {
        var columns = new TxFields[(int)TxKinds.Last + 1];
        foreach (var kind in TxKinds.All)
        {
            var layout = TxLayout.Of(kind);
            var fields = layout.IsSigned ? TxFields.Signature : TxFields.None;
            foreach (var field in layout.Fields)
            {
                fields |= field switch
                {
                    TxField.Market => TxFields.Market,
                    TxField.Nonce => TxFields.Nonce,
                    // A PlaceOrder's bools and enums share one flags byte, as does a TransferMargin's direction.
                    TxField.IsBuy or TxField.OrderKind or TxField.TimeInForce or TxField.ReduceOnly or TxField.ToMarket => TxFields.Flags,
                    TxField.Price => TxFields.Price,
                    TxField.Size => TxFields.Size,
                    TxField.Amount => TxFields.Amount,
                    TxField.ClientOrderId => TxFields.ClientOrderId,
                    TxField.OrderId => TxFields.OrderId,
                    TxField.DepositIndex => TxFields.DepositIndex,
                    TxField.Timestamp => TxFields.OracleTimestamp,
                    TxField.Params => TxFields.Params,
                    TxField.Items => TxFields.BulkItems,
                    _ => TxFields.None, // Account: the account table and its references, for every kind
                };
            }
            columns[(int)kind] = fields;
        }
        return columns;
    }
}

/// <summary>The flags byte: PlaceOrder bit 0 buy, bits 1–2 order kind, bits 3–4 time in force, bit 5 reduce-only; TransferMargin bit 0 to-market.</summary>
internal static class TxFlags
{
    public static byte Of(in Transaction tx) => tx.Kind == TxKind.TransferMargin
        ? (byte)(tx.ToMarket ? 1 : 0)
        : (byte)((tx.IsBuy ? 1 : 0) | ((int)tx.OrderKind << 1) | ((int)tx.TimeInForce << 3) | (tx.ReduceOnly ? 1 << 5 : 0));

    /// <summary>A bulk item's flags: its order's bits as a PlaceOrder's (0 for a cancel), the action in bits 6-7.</summary>
    public static byte Of(in BulkItem item) =>
        (byte)((item.IsBuy ? 1 : 0) | ((int)item.OrderKind << 1) | ((int)item.TimeInForce << 3) | (item.ReduceOnly ? 1 << 5 : 0) | ((int)item.Action << 6));

    /// <summary>The item <paramref name="flags"/> describe, its action's other fields zero; false for order bits on a cancel.</summary>
    public static bool TryItem(byte flags, out BulkItem item)
    {
        item = new BulkItem
        {
            Action = (BulkAction)(flags >> 6),
            IsBuy = (flags & 1) != 0,
            OrderKind = (OrderKind)((flags >> 1) & 3),
            TimeInForce = (TimeInForce)((flags >> 3) & 3),
            ReduceOnly = (flags & (1 << 5)) != 0,
        };
        return item.Places || (flags & 0x3F) == 0;
    }

    public static bool TryApply(TxKind kind, byte flags, ref Transaction tx)
    {
        if (kind == TxKind.TransferMargin)
        {
            if (flags > 1)
            {
                return false;
            }
            tx = tx with { ToMarket = flags == 1 };
            return true;
        }
        if (flags >> 6 != 0)
        {
            return false;
        }
        tx = tx with
        {
            IsBuy = (flags & 1) != 0,
            OrderKind = (OrderKind)((flags >> 1) & 3),
            TimeInForce = (TimeInForce)((flags >> 3) & 3),
            ReduceOnly = (flags & (1 << 5)) != 0,
        };
        return true;
    }
}
