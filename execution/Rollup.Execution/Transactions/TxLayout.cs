using System.Text;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Transactions;

/// <summary>One field a transaction kind may carry (docs/transactions.md, "Fields of each kind").</summary>
public enum TxField : byte
{
    Account,
    Market,
    IsBuy,
    Price,
    Size,
    OrderKind,
    TimeInForce,
    ReduceOnly,
    ClientOrderId,
    OrderId,
    Amount,
    ToMarket,
    DepositIndex,
    Timestamp,
    Params,
    Items,
    Nonce,
}

/// <summary>
/// What a kind is made of, defined once: its fields in protocol order, which is at the same time the order of its
/// binary layout, of its EIP-712 members and of the API message's fields; its EIP-712 primary type. The codec, the
/// signing digest, the columnar batch codec and the API mapping read their per-kind knowledge from here.
/// </summary>
public sealed class TxLayout
{
    private static readonly TxLayout?[] ByKind = Build();

    private TxLayout(TxKind kind, string? primaryType, TxField[] fields)
    {
        Kind = kind;
        PrimaryType = primaryType;
        Fields = fields;
        foreach (var field in fields)
        {
            Carries |= 1 << (int)field;
        }
        IsSigned = primaryType is not null;
        FixedLength = 1 + (IsSigned ? Signature.Length : 0);
        foreach (var field in fields)
        {
            FixedLength += WireLength(field);
        }
        if (primaryType is not null)
        {
            EncodedType = EncodeType(primaryType, fields);
            TypeHash = Keccak256.Compute(Encoding.ASCII.GetBytes(EncodedType));
        }
    }

    public TxKind Kind { get; }

    /// <summary>The EIP-712 primary type (PlaceOrder is signed as <c>Order</c>); null for Deposit, which is not signed.</summary>
    public string? PrimaryType { get; }

    /// <summary>The fields in protocol order (Nonce last for signed kinds); the signature follows them on the wire.</summary>
    public TxField[] Fields { get; }

    public bool IsSigned { get; }

    /// <summary>encodeType of the primary type with the struct types it references, as hashed into <see cref="TypeHash"/>.</summary>
    public string EncodedType { get; } = "";

    public Hash256 TypeHash { get; }

    /// <summary>The encoded length without a market-admin kind's parameters or a bulk's items: the kind byte, every fixed field, the signature.</summary>
    public int FixedLength { get; }

    private int Carries { get; }

    public bool Has(TxField field) => (Carries & (1 << (int)field)) != 0;

    /// <summary>The layout of a defined kind; throws for any other.</summary>
    public static TxLayout Of(TxKind kind) =>
        (uint)kind < (uint)ByKind.Length && ByKind[(int)kind] is { } layout ? layout : throw new ArgumentException($"transaction kind {(byte)kind} is not defined");

    /// <summary>Bytes the field takes on the wire; 0 for the variable parameters and items (and their counts), which the codec sizes.</summary>
    public static int WireLength(TxField field) => field switch
    {
        TxField.Account => Address.Length,
        TxField.Market => 4,
        TxField.IsBuy or TxField.OrderKind or TxField.TimeInForce or TxField.ReduceOnly or TxField.ToMarket => 1,
        TxField.Items => 1, // the item count; the items themselves vary
        TxField.Params => 0,
        _ => 8,
    };

    /// <summary>The EIP-712 member: its name and type. A bulk's market is not one: every item names it.</summary>
    public static (string Name, string Type) Member(TxField field) => field switch
    {
        TxField.Account => ("account", "address"),
        TxField.Market => ("market", "uint32"),
        TxField.IsBuy => ("isBuy", "bool"),
        TxField.Price => ("price", "uint64"),
        TxField.Size => ("size", "uint64"),
        TxField.OrderKind => ("kind", "uint8"),
        TxField.TimeInForce => ("timeInForce", "uint8"),
        TxField.ReduceOnly => ("reduceOnly", "bool"),
        TxField.ClientOrderId => ("clientOrderId", "uint64"),
        TxField.OrderId => ("orderId", "uint64"),
        TxField.Amount => ("amount", "uint64"),
        TxField.ToMarket => ("toMarket", "bool"),
        TxField.DepositIndex => ("depositIndex", "uint64"),
        TxField.Timestamp => ("timestamp", "uint64"),
        TxField.Params => ("params", "MarketParams"),
        TxField.Items => ("items", "BulkItem[]"),
        _ => ("nonce", "uint64"),
    };

    /// <summary>A fixed-width field's value as an unsigned integer (bools 0 or 1, enums their wire value); 0 for Account, Params, Items.</summary>
    public static ulong Integer(in Transaction tx, TxField field) => field switch
    {
        TxField.Market => tx.Market,
        TxField.IsBuy => tx.IsBuy ? 1UL : 0,
        TxField.Price => tx.Price,
        TxField.Size => tx.Size,
        TxField.OrderKind => (byte)tx.OrderKind,
        TxField.TimeInForce => (byte)tx.TimeInForce,
        TxField.ReduceOnly => tx.ReduceOnly ? 1UL : 0,
        TxField.ClientOrderId => tx.ClientOrderId,
        TxField.OrderId => tx.OrderId,
        TxField.Amount => tx.Amount,
        TxField.ToMarket => tx.ToMarket ? 1UL : 0,
        TxField.DepositIndex => tx.DepositIndex,
        TxField.Timestamp => tx.Timestamp,
        TxField.Nonce => tx.Nonce,
        _ => 0,
    };

    /// <summary>Whether the field is a member of the kind's EIP-712 struct (all are, but a bulk's market, named by every item).</summary>
    public bool IsMember(TxField field) => field != TxField.Market || !Has(TxField.Items);

    private static string EncodeType(string primaryType, TxField[] fields)
    {
        var text = new StringBuilder(primaryType).Append('(');
        var first = true;
        foreach (var field in fields)
        {
            if (field == TxField.Market && Array.IndexOf(fields, TxField.Items) >= 0)
            {
                continue;
            }
            var (name, type) = Member(field);
            text.Append(first ? "" : ",").Append(type).Append(' ').Append(name);
            first = false;
        }
        text.Append(')');
        // Referenced struct types follow, sorted by name (each kind references at most one).
        if (Array.IndexOf(fields, TxField.Items) >= 0)
        {
            text.Append(TransactionSigning.BulkItemType);
        }
        if (Array.IndexOf(fields, TxField.Params) >= 0)
        {
            text.Append(TransactionSigning.MarketParamsType);
        }
        return text.ToString();
    }

    private static TxLayout?[] Build()
    {
        const TxField A = TxField.Account, M = TxField.Market, N = TxField.Nonce;
        var layouts = new TxLayout?[(int)TxKinds.Last + 1];
        void Add(TxKind kind, string? primaryType, params TxField[] fields) => layouts[(int)kind] = new TxLayout(kind, primaryType, fields);
        Add(TxKind.Deposit, null, A, TxField.Amount, TxField.DepositIndex);
        Add(TxKind.Withdraw, "Withdraw", A, TxField.Amount, N);
        Add(TxKind.TransferMargin, "TransferMargin", A, M, TxField.Amount, TxField.ToMarket, N);
        Add(TxKind.PlaceOrder, "Order", A, M, TxField.IsBuy, TxField.Price, TxField.Size, TxField.OrderKind, TxField.TimeInForce, TxField.ReduceOnly, TxField.ClientOrderId, N);
        Add(TxKind.CancelOrder, "CancelOrder", A, M, TxField.OrderId, N);
        Add(TxKind.CancelOrderByClientId, "CancelOrderByClientId", A, M, TxField.ClientOrderId, N);
        Add(TxKind.CancelAllOrders, "CancelAllOrders", A, M, N);
        Add(TxKind.OracleUpdate, "OracleUpdate", A, M, TxField.Price, TxField.Timestamp, N);
        Add(TxKind.CreateMarket, "CreateMarket", A, M, TxField.Params, N);
        Add(TxKind.SetMarketParams, "SetMarketParams", A, M, TxField.Params, N);
        Add(TxKind.PauseMarket, "PauseMarket", A, M, N);
        Add(TxKind.ResumeMarket, "ResumeMarket", A, M, N);
        Add(TxKind.Bulk, "Bulk", A, M, TxField.Items, N);
        return layouts;
    }
}
