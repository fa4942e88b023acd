using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Transactions;

/// <summary>
/// The binary form of a transaction, as the transaction log and L1 batches carry it (docs/transactions.md,
/// "Binary layout"): the kind byte, the kind's fields in a fixed order (big-endian fixed-width integers, bools and
/// enums one byte), then the 65-byte signature r ‖ s ‖ v (none for Deposit).
/// </summary>
/// <remarks>
/// The encoding is canonical: every transaction has one encoding, and bytes that decode re-encode to themselves.
/// Decoding is strictly bounded and never throws; it checks form (lengths, bools, enums, the symbol, the signer
/// count), not meaning — prices, sizes, signatures and nonces are the engine's to judge. Neither direction
/// allocates, except for CreateMarket and SetMarketParams (their symbol string and signer array).
/// </remarks>
public static class TransactionCodec
{
    public const int MaxSymbolLength = 16;

    /// <summary>The longest encoding of a kind other than Bulk: a market-admin transaction with a 16-byte symbol and four oracle signers.</summary>
    public const int MaxSingleEncodedLength = AdminFixedLength + MaxSymbolLength + (MarketParams.MaxOracleSigners * Address.Length);

    /// <summary>The longest encoding of any kind: a bulk of <see cref="BulkItem.MaxItems"/> cancel-replace items.</summary>
    public const int MaxEncodedLength = BulkFixedLength + (BulkItem.MaxItems * BulkCancelReplaceLength);

    /// <summary>The longest market parameters (what a batch's Params column may hold).</summary>
    public const int MaxParamsLength = 1 + MaxSymbolLength + ParamsIntegersLength + 1 + (MarketParams.MaxOracleSigners * Address.Length);

    // Bulk: kind ‖ account ‖ market ‖ item count ‖ items ‖ nonce ‖ signature; an item is its action byte and its fields.
    public const int BulkFixedLength = 1 + Address.Length + 4 + 1 + 8 + Signature.Length;
    private const int BulkOrderFieldsLength = 1 + 8 + 8 + 1 + 1 + 1 + 8;
    private const int BulkPlaceLength = 1 + BulkOrderFieldsLength;
    private const int BulkCancelLength = 1 + 8;
    private const int BulkCancelReplaceLength = 1 + 8 + BulkOrderFieldsLength;


    // CreateMarket / SetMarketParams without the symbol's bytes and the signers' addresses.
    private const int ParamsIntegersLength = (3 * 8) + (13 * 4);
    private const int AdminFixedLength = 1 + Address.Length + 4 + 1 + ParamsIntegersLength + 1 + 8 + Signature.Length;

    /// <summary>The length of <paramref name="tx"/>'s encoding; throws if it cannot be encoded (<see cref="Validate"/>).</summary>
    public static int GetEncodedLength(in Transaction tx)
    {
        var error = Validate(tx);
        return error == TxDecodeError.None ? EncodedLength(tx) : ThrowInvalid(error);
    }

    /// <summary>
    /// Writes <paramref name="tx"/> to <paramref name="destination"/> and returns the bytes written. Throws
    /// <see cref="ArgumentException"/> if the transaction is not well-formed (<see cref="Validate"/>) or the
    /// destination is too short (<see cref="MaxEncodedLength"/> is always enough).
    /// </summary>
    public static int Encode(in Transaction tx, Span<byte> destination)
    {
        var error = Validate(tx);
        if (error != TxDecodeError.None)
        {
            return ThrowInvalid(error);
        }
        var length = EncodedLength(tx);
        if (destination.Length < length)
        {
            throw new ArgumentException($"a {tx.Kind} transaction needs {length} bytes, the destination has {destination.Length}", nameof(destination));
        }

        var writer = new Writer(destination);
        writer.U8((byte)tx.Kind);
        var layout = TxLayout.Of(tx.Kind);
        foreach (var field in layout.Fields)
        {
            switch (field)
            {
                case TxField.Account:
                    writer.Address(tx.Account);
                    break;
                case TxField.Market:
                    writer.U32(tx.Market);
                    break;
                case TxField.IsBuy or TxField.ReduceOnly or TxField.ToMarket or TxField.OrderKind or TxField.TimeInForce:
                    writer.U8((byte)TxLayout.Integer(tx, field));
                    break;
                case TxField.Params:
                    WriteParams(ref writer, tx.Params!);
                    break;
                case TxField.Items:
                    WriteItems(ref writer, tx.Items!.Span);
                    break;
                default:
                    writer.U64(TxLayout.Integer(tx, field));
                    break;
            }
        }
        if (layout.IsSigned)
        {
            writer.Signature(tx.Signature);
        }
        return writer.Position;
    }

    /// <summary>
    /// Reads one transaction from the start of <paramref name="source"/> (bytes after it are left alone:
    /// <paramref name="consumed"/> says where it ends). On failure returns false with the reason, and
    /// <paramref name="tx"/> and <paramref name="consumed"/> are zero. Never throws.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, out Transaction tx, out int consumed, out TxDecodeError error)
    {
        error = Decode(source, out tx, out consumed);
        if (error == TxDecodeError.None)
        {
            return true;
        }
        tx = default;
        consumed = 0;
        return false;
    }

    /// <summary>
    /// What decoding would say of <paramref name="tx"/>'s fields were they on the wire, and whether the transaction
    /// is well-formed as a value: a kind the protocol defines, the fields its kind does not carry zero (Deposit:
    /// nonce and signature too), market-admin kinds with <see cref="Transaction.Params"/>.
    /// </summary>
    public static TxDecodeError Validate(in Transaction tx)
    {
        if (!tx.Kind.IsDefined())
        {
            return TxDecodeError.UnknownKind;
        }
        if (TxLayout.Of(tx.Kind).Has(TxField.OrderKind))
        {
            if (!IsDefined(tx.OrderKind))
            {
                return TxDecodeError.BadOrderKind;
            }
            if (!IsDefined(tx.TimeInForce))
            {
                return TxDecodeError.BadTimeInForce;
            }
        }
        if (tx.Kind.CarriesMarketParams())
        {
            if (tx.Params is null)
            {
                return TxDecodeError.MissingParams;
            }
            var paramsError = Validate(tx.Params);
            if (paramsError != TxDecodeError.None)
            {
                return paramsError;
            }
        }
        if (tx.Kind == TxKind.Bulk)
        {
            var itemsError = ValidateItems(tx.Items);
            if (itemsError != TxDecodeError.None)
            {
                return itemsError;
            }
        }
        return tx == Carried(tx) ? TxDecodeError.None : TxDecodeError.UnusedFieldSet;
    }

    public static string Describe(TxDecodeError error) => error switch
    {
        TxDecodeError.None => "well-formed",
        TxDecodeError.Truncated => "the input ends inside the transaction",
        TxDecodeError.UnknownKind => "the kind byte is not a defined transaction kind (1 to 13)",
        TxDecodeError.BadBool => "a bool byte is neither 0 nor 1",
        TxDecodeError.BadOrderKind => "the order kind is neither 0 (limit) nor 1 (market)",
        TxDecodeError.BadTimeInForce => "the time in force is not 0 (GTC), 1 (IOC), 2 (FOK) or 3 (post-only)",
        TxDecodeError.BadSymbolLength => $"a market symbol is 1 to {MaxSymbolLength} characters",
        TxDecodeError.BadSymbolCharacter => "a market symbol is visible ASCII only (0x21 to 0x7E)",
        TxDecodeError.TooManyOracleSigners => $"a market has at most {MarketParams.MaxOracleSigners} oracle signers",
        TxDecodeError.UnusedFieldSet => "a field the transaction's kind does not carry is set",
        TxDecodeError.MissingParams => "a market-admin transaction needs its MarketParams",
        TxDecodeError.BadBulkItemCount => $"a bulk has 1 to {BulkItem.MaxItems} items",
        TxDecodeError.BadBulkAction => "a bulk item's action is not 0 (place), 1 (cancel), 2 (cancel by client id) or 3 (cancel-replace)",
        TxDecodeError.DuplicateClientOrderId => "two items of the bulk place orders with the same client order id",
        _ => error.ToString(),
    };

    private static TxDecodeError Decode(ReadOnlySpan<byte> source, out Transaction tx, out int consumed)
    {
        tx = default;
        consumed = 0;
        if (source.IsEmpty)
        {
            return TxDecodeError.Truncated;
        }
        var kind = (TxKind)source[0];
        if (!kind.IsDefined())
        {
            return TxDecodeError.UnknownKind;
        }
        if (kind.CarriesMarketParams())
        {
            return DecodeMarketAdmin(source, kind, out tx, out consumed);
        }
        if (kind == TxKind.Bulk)
        {
            return DecodeBulk(source, out tx, out consumed);
        }

        var layout = TxLayout.Of(kind);
        var length = layout.FixedLength;
        if (source.Length < length)
        {
            return TxDecodeError.Truncated;
        }

        // The fixed-length kinds: every field read in layout order, each bool and enum checked where it is met.
        var reader = new Reader(source[..length]) { Position = 1 };
        Address account = default;
        uint market = 0;
        bool isBuy = false, reduceOnly = false, toMarket = false;
        OrderKind orderKind = default;
        TimeInForce timeInForce = default;
        ulong price = 0, size = 0, clientOrderId = 0, orderId = 0, amount = 0, depositIndex = 0, timestamp = 0, nonce = 0;
        foreach (var field in layout.Fields)
        {
            switch (field)
            {
                case TxField.Account:
                    account = reader.Address();
                    break;
                case TxField.Market:
                    market = reader.U32();
                    break;
                case TxField.IsBuy when !reader.TryBool(out isBuy):
                case TxField.ReduceOnly when !reader.TryBool(out reduceOnly):
                case TxField.ToMarket when !reader.TryBool(out toMarket):
                    return TxDecodeError.BadBool;
                case TxField.IsBuy or TxField.ReduceOnly or TxField.ToMarket:
                    break;
                case TxField.OrderKind:
                    orderKind = (OrderKind)reader.U8();
                    if (!IsDefined(orderKind))
                    {
                        return TxDecodeError.BadOrderKind;
                    }
                    break;
                case TxField.TimeInForce:
                    timeInForce = (TimeInForce)reader.U8();
                    if (!IsDefined(timeInForce))
                    {
                        return TxDecodeError.BadTimeInForce;
                    }
                    break;
                case TxField.Price:
                    price = reader.U64();
                    break;
                case TxField.Size:
                    size = reader.U64();
                    break;
                case TxField.ClientOrderId:
                    clientOrderId = reader.U64();
                    break;
                case TxField.OrderId:
                    orderId = reader.U64();
                    break;
                case TxField.Amount:
                    amount = reader.U64();
                    break;
                case TxField.DepositIndex:
                    depositIndex = reader.U64();
                    break;
                case TxField.Timestamp:
                    timestamp = reader.U64();
                    break;
                default: // Nonce: the variable fields' kinds are decoded above
                    nonce = reader.U64();
                    break;
            }
        }
        tx = new Transaction
        {
            Kind = kind, Account = account, Market = market, IsBuy = isBuy, Price = price, Size = size, OrderKind = orderKind,
            TimeInForce = timeInForce, ReduceOnly = reduceOnly, ClientOrderId = clientOrderId, OrderId = orderId, Amount = amount,
            ToMarket = toMarket, DepositIndex = depositIndex, Timestamp = timestamp, Nonce = nonce,
            Signature = layout.IsSigned ? reader.Signature() : default,
        };
        consumed = reader.Position;
        return TxDecodeError.None;
    }

    private static TxDecodeError DecodeMarketAdmin(ReadOnlySpan<byte> source, TxKind kind, out Transaction tx, out int consumed)
    {
        tx = default;
        consumed = 0;
        const int paramsAt = 1 + Address.Length + 4;
        if (source.Length < paramsAt)
        {
            return TxDecodeError.Truncated;
        }
        var error = DecodeParams(source[paramsAt..], out var parameters, out var paramsLength);
        if (error != TxDecodeError.None)
        {
            return error;
        }
        var length = paramsAt + paramsLength + 8 + Signature.Length;
        if (source.Length < length)
        {
            return TxDecodeError.Truncated;
        }
        var reader = new Reader(source[..length]) { Position = 1 };
        var account = reader.Address();
        var market = reader.U32();
        reader.Position = paramsAt + paramsLength;
        tx = new Transaction
        {
            Kind = kind,
            Account = account,
            Market = market,
            Params = parameters,
            Nonce = reader.U64(),
            Signature = reader.Signature(),
        };
        consumed = reader.Position;
        return TxDecodeError.None;
    }

    private static TxDecodeError DecodeBulk(ReadOnlySpan<byte> source, out Transaction tx, out int consumed)
    {
        tx = default;
        consumed = 0;
        const int itemsAt = 1 + Address.Length + 4 + 1;
        if (source.Length < itemsAt)
        {
            return TxDecodeError.Truncated;
        }
        var count = source[itemsAt - 1];
        if (count is 0 or > BulkItem.MaxItems)
        {
            return TxDecodeError.BadBulkItemCount;
        }
        var items = new BulkItem[count];
        var reader = new Reader(source) { Position = itemsAt };
        for (var i = 0; i < items.Length; i++)
        {
            if (source.Length <= reader.Position)
            {
                return TxDecodeError.Truncated;
            }
            var action = (BulkAction)reader.U8();
            var length = ItemLength(action);
            if (length == 0)
            {
                return TxDecodeError.BadBulkAction;
            }
            if (source.Length < reader.Position - 1 + length)
            {
                return TxDecodeError.Truncated;
            }
            var item = new BulkItem { Action = action };
            if (item.CarriesOrderId)
            {
                item = item with { OrderId = reader.U64() };
            }
            if (item.Places)
            {
                if (!reader.TryBool(out var isBuy))
                {
                    return TxDecodeError.BadBool;
                }
                var price = reader.U64();
                var size = reader.U64();
                var orderKind = (OrderKind)reader.U8();
                if (!IsDefined(orderKind))
                {
                    return TxDecodeError.BadOrderKind;
                }
                var timeInForce = (TimeInForce)reader.U8();
                if (!IsDefined(timeInForce))
                {
                    return TxDecodeError.BadTimeInForce;
                }
                if (!reader.TryBool(out var reduceOnly))
                {
                    return TxDecodeError.BadBool;
                }
                item = item with
                {
                    IsBuy = isBuy, Price = price, Size = size, OrderKind = orderKind, TimeInForce = timeInForce, ReduceOnly = reduceOnly,
                    ClientOrderId = reader.U64(),
                };
            }
            else if (action == BulkAction.CancelByClientId)
            {
                item = item with { ClientOrderId = reader.U64() };
            }
            items[i] = item;
        }
        if (source.Length < reader.Position + 8 + Signature.Length)
        {
            return TxDecodeError.Truncated;
        }
        if (HasDuplicateClientOrderId(items))
        {
            return TxDecodeError.DuplicateClientOrderId;
        }
        var account = new Address(source.Slice(1, Address.Length));
        var market = BinaryPrimitives.ReadUInt32BigEndian(source[(1 + Address.Length)..]);
        tx = new Transaction
        {
            Kind = TxKind.Bulk,
            Account = account,
            Market = market,
            Items = new ValueArray<BulkItem>(items),
            Nonce = reader.U64(),
            Signature = reader.Signature(),
        };
        consumed = reader.Position;
        return TxDecodeError.None;
    }

    /// <summary>An item's encoded length, its action byte included; 0 for an undefined action.</summary>
    private static int ItemLength(BulkAction action) => action switch
    {
        BulkAction.Place => BulkPlaceLength,
        BulkAction.Cancel or BulkAction.CancelByClientId => BulkCancelLength,
        BulkAction.CancelReplace => BulkCancelReplaceLength,
        _ => 0,
    };

    private static void WriteItems(ref Writer writer, ReadOnlySpan<BulkItem> items)
    {
        writer.U8((byte)items.Length);
        foreach (ref readonly var item in items)
        {
            writer.U8((byte)item.Action);
            if (item.CarriesOrderId)
            {
                writer.U64(item.OrderId);
            }
            if (item.Places)
            {
                writer.Bool(item.IsBuy);
                writer.U64(item.Price);
                writer.U64(item.Size);
                writer.U8((byte)item.OrderKind);
                writer.U8((byte)item.TimeInForce);
                writer.Bool(item.ReduceOnly);
                writer.U64(item.ClientOrderId);
            }
            else if (item.Action == BulkAction.CancelByClientId)
            {
                writer.U64(item.ClientOrderId);
            }
        }
    }

    /// <summary>Whether two items that place orders share a nonzero client order id (at most 64 items: a quadratic scan allocates nothing).</summary>
    public static bool HasDuplicateClientOrderId(ReadOnlySpan<BulkItem> items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            var id = items[i].ClientOrderId;
            if (id == 0 || !items[i].Places)
            {
                continue;
            }
            for (var j = 0; j < i; j++)
            {
                if (items[j].ClientOrderId == id && items[j].Places)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static TxDecodeError ValidateItems(ValueArray<BulkItem>? items)
    {
        if (items is null || items.Count is 0 or > BulkItem.MaxItems)
        {
            return TxDecodeError.BadBulkItemCount;
        }
        foreach (ref readonly var item in items.Span)
        {
            if (ItemLength(item.Action) == 0)
            {
                return TxDecodeError.BadBulkAction;
            }
            if (item.Places && !IsDefined(item.OrderKind))
            {
                return TxDecodeError.BadOrderKind;
            }
            if (item.Places && !IsDefined(item.TimeInForce))
            {
                return TxDecodeError.BadTimeInForce;
            }
            if (item != CarriedItem(item))
            {
                return TxDecodeError.UnusedFieldSet;
            }
        }
        return HasDuplicateClientOrderId(items.Span) ? TxDecodeError.DuplicateClientOrderId : TxDecodeError.None;
    }

    private static BulkItem CarriedItem(in BulkItem item)
    {
        var carried = new BulkItem { Action = item.Action, OrderId = item.CarriesOrderId ? item.OrderId : 0 };
        if (item.Places)
        {
            return carried with
            {
                IsBuy = item.IsBuy, Price = item.Price, Size = item.Size, OrderKind = item.OrderKind, TimeInForce = item.TimeInForce,
                ReduceOnly = item.ReduceOnly, ClientOrderId = item.ClientOrderId,
            };
        }
        return item.Action == BulkAction.CancelByClientId ? carried with { ClientOrderId = item.ClientOrderId } : carried;
    }

    /// <summary>Encoded length of market parameters alone (the market record stores them in this same layout).</summary>
    public static int ParamsLength(MarketParams parameters) =>
        1 + parameters.Symbol.Length + ParamsIntegersLength + 1 + (parameters.OracleSigners.Count * Address.Length);

    /// <summary>Writes market parameters alone, as a market-admin transaction carries them.</summary>
    public static int EncodeParams(MarketParams parameters, Span<byte> destination)
    {
        var writer = new Writer(destination);
        WriteParams(ref writer, parameters);
        return writer.Position;
    }

    /// <summary>Reads market parameters laid out as <see cref="EncodeParams"/> writes them; bounded like a transaction.</summary>
    public static TxDecodeError DecodeParams(ReadOnlySpan<byte> source, out MarketParams parameters, out int consumed)
    {
        parameters = null!;
        consumed = 0;
        if (source.IsEmpty)
        {
            return TxDecodeError.Truncated;
        }
        var symbolLength = source[0];
        if (symbolLength is 0 or > MaxSymbolLength)
        {
            return TxDecodeError.BadSymbolLength;
        }
        var signersAt = 1 + symbolLength + ParamsIntegersLength + 1;
        if (source.Length < signersAt)
        {
            return TxDecodeError.Truncated;
        }
        var symbol = source.Slice(1, symbolLength);
        if (symbol.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
        {
            return TxDecodeError.BadSymbolCharacter;
        }
        var signerCount = source[signersAt - 1];
        if (signerCount > MarketParams.MaxOracleSigners)
        {
            return TxDecodeError.TooManyOracleSigners;
        }
        var length = signersAt + (signerCount * Address.Length);
        if (source.Length < length)
        {
            return TxDecodeError.Truncated;
        }
        var reader = new Reader(source[..length]) { Position = 1 + symbolLength };
        parameters = new MarketParams
        {
            Symbol = Encoding.ASCII.GetString(symbol),
            TickSize = reader.U64(),
            LotSize = reader.U64(),
            SizeScale = reader.U64(),
            InitialMarginPpm = reader.U32(),
            MaintenanceMarginPpm = reader.U32(),
            MakerFeePpm = reader.U32(),
            TakerFeePpm = reader.U32(),
            PriceBandPpm = reader.U32(),
            MaxOpenOrdersPerAccount = reader.U32(),
            FundingIntervalBlocks = reader.U32(),
            FundingCapPpm = reader.U32(),
            LiquidationFeePpm = reader.U32(),
            HaltMovePpm = reader.U32(),
            HaltWindowBlocks = reader.U32(),
            MaxBookOrders = reader.U32(),
            MaxBookLevels = reader.U32(),
            OracleSigners = ReadSigners(ref reader),
        };
        consumed = reader.Position;
        return TxDecodeError.None;
    }

    private static Address[] ReadSigners(ref Reader reader)
    {
        var signers = new Address[reader.U8()];
        for (var i = 0; i < signers.Length; i++)
        {
            signers[i] = reader.Address();
        }
        return signers;
    }

    private static void WriteParams(ref Writer writer, MarketParams parameters)
    {
        writer.U8((byte)parameters.Symbol.Length);
        writer.Ascii(parameters.Symbol);
        writer.U64(parameters.TickSize);
        writer.U64(parameters.LotSize);
        writer.U64(parameters.SizeScale);
        writer.U32(parameters.InitialMarginPpm);
        writer.U32(parameters.MaintenanceMarginPpm);
        writer.U32(parameters.MakerFeePpm);
        writer.U32(parameters.TakerFeePpm);
        writer.U32(parameters.PriceBandPpm);
        writer.U32(parameters.MaxOpenOrdersPerAccount);
        writer.U32(parameters.FundingIntervalBlocks);
        writer.U32(parameters.FundingCapPpm);
        writer.U32(parameters.LiquidationFeePpm);
        writer.U32(parameters.HaltMovePpm);
        writer.U32(parameters.HaltWindowBlocks);
        writer.U32(parameters.MaxBookOrders);
        writer.U32(parameters.MaxBookLevels);
        writer.U8((byte)parameters.OracleSigners.Count);
        foreach (var signer in parameters.OracleSigners)
        {
            writer.Address(signer);
        }
    }

    private static TxDecodeError Validate(MarketParams parameters)
    {
        var symbol = parameters.Symbol;
        if (symbol.Length is 0 or > MaxSymbolLength)
        {
            return TxDecodeError.BadSymbolLength;
        }
        if (symbol.AsSpan().ContainsAnyExceptInRange('\x21', '\x7E'))
        {
            return TxDecodeError.BadSymbolCharacter;
        }
        return parameters.OracleSigners.Count > MarketParams.MaxOracleSigners ? TxDecodeError.TooManyOracleSigners : TxDecodeError.None;
    }

    /// <summary>Only the fields <paramref name="tx"/>'s kind carries: what encoding keeps and signing covers.</summary>
    private static Transaction Carried(in Transaction tx)
    {
        var layout = TxLayout.Of(tx.Kind);
        return new Transaction
        {
            Kind = tx.Kind,
            Account = tx.Account,
            Market = layout.Has(TxField.Market) ? tx.Market : 0,
            IsBuy = layout.Has(TxField.IsBuy) && tx.IsBuy,
            Price = layout.Has(TxField.Price) ? tx.Price : 0,
            Size = layout.Has(TxField.Size) ? tx.Size : 0,
            OrderKind = layout.Has(TxField.OrderKind) ? tx.OrderKind : default,
            TimeInForce = layout.Has(TxField.TimeInForce) ? tx.TimeInForce : default,
            ReduceOnly = layout.Has(TxField.ReduceOnly) && tx.ReduceOnly,
            ClientOrderId = layout.Has(TxField.ClientOrderId) ? tx.ClientOrderId : 0,
            OrderId = layout.Has(TxField.OrderId) ? tx.OrderId : 0,
            Amount = layout.Has(TxField.Amount) ? tx.Amount : 0,
            ToMarket = layout.Has(TxField.ToMarket) && tx.ToMarket,
            DepositIndex = layout.Has(TxField.DepositIndex) ? tx.DepositIndex : 0,
            Timestamp = layout.Has(TxField.Timestamp) ? tx.Timestamp : 0,
            Params = layout.Has(TxField.Params) ? tx.Params : null,
            Items = layout.Has(TxField.Items) ? tx.Items : null,
            Nonce = layout.Has(TxField.Nonce) ? tx.Nonce : 0,
            Signature = layout.IsSigned ? tx.Signature : default,
        };
    }

    private static int EncodedLength(in Transaction tx) => tx.Kind switch
    {
        TxKind.CreateMarket or TxKind.SetMarketParams =>
            AdminFixedLength + tx.Params!.Symbol.Length + (tx.Params.OracleSigners.Count * Address.Length),
        TxKind.Bulk => BulkLength(tx.Items!.Span),
        _ => TxLayout.Of(tx.Kind).FixedLength,
    };

    private static int BulkLength(ReadOnlySpan<BulkItem> items)
    {
        var length = BulkFixedLength;
        foreach (ref readonly var item in items)
        {
            length += ItemLength(item.Action);
        }
        return length;
    }

    private static bool IsDefined(OrderKind kind) => kind is OrderKind.Limit or OrderKind.Market;

    private static bool IsDefined(TimeInForce timeInForce) =>
        timeInForce is TimeInForce.Gtc or TimeInForce.Ioc or TimeInForce.Fok or TimeInForce.PostOnly;

    [DoesNotReturn]
    private static int ThrowInvalid(TxDecodeError error) =>
        throw new ArgumentException($"not a well-formed transaction: {Describe(error)} ({error})");

    /// <summary>Reads fields from a span the caller has already checked is long enough.</summary>
    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _source;

        public Reader(ReadOnlySpan<byte> source)
        {
            _source = source;
        }

        public int Position { get; set; }

        public byte U8() => _source[Position++];

        public bool TryBool(out bool value)
        {
            var b = U8();
            value = b == 1;
            return b <= 1;
        }

        public uint U32()
        {
            var value = BinaryPrimitives.ReadUInt32BigEndian(_source[Position..]);
            Position += 4;
            return value;
        }

        public ulong U64()
        {
            var value = BinaryPrimitives.ReadUInt64BigEndian(_source[Position..]);
            Position += 8;
            return value;
        }

        public Address Address()
        {
            var value = new Address(_source.Slice(Position, Primitives.Address.Length));
            Position += Primitives.Address.Length;
            return value;
        }

        public Signature Signature()
        {
            var value = new Signature(_source.Slice(Position, Primitives.Signatures.Signature.Length));
            Position += Primitives.Signatures.Signature.Length;
            return value;
        }
    }

    /// <summary>Writes fields to a span the caller has already checked is long enough.</summary>
    private ref struct Writer
    {
        private readonly Span<byte> _destination;

        public Writer(Span<byte> destination)
        {
            _destination = destination;
        }

        public int Position { get; private set; }

        public void U8(byte value) => _destination[Position++] = value;

        public void Bool(bool value) => U8(value ? (byte)1 : (byte)0);

        public void U32(uint value)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_destination[Position..], value);
            Position += 4;
        }

        public void U64(ulong value)
        {
            BinaryPrimitives.WriteUInt64BigEndian(_destination[Position..], value);
            Position += 8;
        }

        public void Address(in Address value)
        {
            value.CopyTo(_destination[Position..]);
            Position += Primitives.Address.Length;
        }

        public void Signature(in Signature value)
        {
            value.Bytes.CopyTo(_destination[Position..]);
            Position += Primitives.Signatures.Signature.Length;
        }

        public void Ascii(string text)
        {
            Position += Encoding.ASCII.GetBytes(text, _destination[Position..]);
        }
    }
}
