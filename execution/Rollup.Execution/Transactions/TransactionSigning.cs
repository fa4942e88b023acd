using System.Diagnostics.CodeAnalysis;
using System.Text;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Transactions;

/// <summary>
/// What a signer signs: every kind but Deposit is EIP-712 typed data in the Rollup domain, one primary
/// type per kind (docs/transactions.md). The type strings are protocol: never edit one in place.
/// </summary>
/// <remarks>
/// Struct hashes are one Keccak over words written on the stack with precomputed type hashes, so hashing
/// allocates nothing, except for CreateMarket and SetMarketParams, whose nested <see cref="MarketParams"/>
/// (a string and an address array) are hashed with a small allocation. The general
/// <see cref="TypedDataEncoder"/> is the reference these are tested against.
/// </remarks>
public static class TransactionSigning
{
    /// <summary>encodeType(Order), the type of a PlaceOrder (docs/eip712.md's example).</summary>
    public static string OrderType => EncodedType(TxKind.PlaceOrder);

    /// <summary>The nested struct of CreateMarket and SetMarketParams; encodeType appends it to theirs.</summary>
    public const string MarketParamsType =
        "MarketParams(string symbol,uint64 tickSize,uint64 lotSize,uint64 sizeScale,uint32 initialMarginPpm,"
        + "uint32 maintenanceMarginPpm,uint32 makerFeePpm,uint32 takerFeePpm,uint32 priceBandPpm,"
        + "uint32 maxOpenOrdersPerAccount,uint32 fundingIntervalBlocks,uint32 fundingCapPpm,uint32 liquidationFeePpm,"
        + "uint32 haltMovePpm,uint32 haltWindowBlocks,uint32 maxBookOrders,uint32 maxBookLevels,address[] oracleSigners)";

    /// <summary>The struct of one bulk item; encodeType appends it to Bulk's. Every item names the bulk's one market.</summary>
    public const string BulkItemType =
        "BulkItem(uint32 market,uint8 action,uint64 orderId,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId)";


    public static readonly Hash256 MarketParamsTypeHash = TypeHashOf(MarketParamsType);
    public static readonly Hash256 BulkItemTypeHash = TypeHashOf(BulkItemType);

    // The largest primary struct: Order's type hash and ten fields.
    private const int MaxWords = 11;

    // MarketParams: its type hash and eighteen fields.
    private const int MarketParamsWords = 19;

    // BulkItem: its type hash and ten fields.
    private const int BulkItemWords = 11;

    /// <summary>The EIP-712 primary type name a signed kind is signed as (PlaceOrder is signed as <c>Order</c>).</summary>
    public static string PrimaryType(TxKind kind) => SignedLayout(kind).PrimaryType!;

    /// <summary>encodeType of the kind's primary type, exactly as hashed into its type hash.</summary>
    public static string EncodedType(TxKind kind) => SignedLayout(kind).EncodedType;

    public static Hash256 TypeHash(TxKind kind) => SignedLayout(kind).TypeHash;

    /// <summary>
    /// hashStruct of the transaction as its kind's primary type: its type hash, then its fields in layout order
    /// (<see cref="TxLayout"/>). Reads only the fields the kind has; the signature is not part of it. Throws
    /// <see cref="ArgumentException"/> for Deposit (unsigned), an undefined kind, a market-admin kind without
    /// <see cref="Transaction.Params"/> or a bulk without items.
    /// </summary>
    public static Hash256 StructHash(in Transaction tx)
    {
        var layout = SignedLayout(tx.Kind);
        Span<byte> buffer = stackalloc byte[MaxWords * AbiWords.WordLength];
        var words = new AbiWords(buffer);
        words.Hash(layout.TypeHash);
        foreach (var field in layout.Fields)
        {
            switch (field)
            {
                case TxField.Account:
                    words.Address(tx.Account);
                    break;
                case TxField.Market when !layout.IsMember(field):
                    break;
                case TxField.IsBuy or TxField.ReduceOnly or TxField.ToMarket:
                    words.Bool(TxLayout.Integer(tx, field) != 0);
                    break;
                case TxField.Params:
                    words.Hash(MarketParamsHash(tx.Params ?? ThrowMissingParams(tx.Kind)));
                    break;
                case TxField.Items:
                    words.Hash(BulkItemsHash(tx.Market, (tx.Items ?? ThrowMissingItems()).Span));
                    break;
                default:
                    words.UInt256(TxLayout.Integer(tx, field));
                    break;
            }
        }
        return Keccak256.Compute(words.Written);
    }

    /// <summary>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ <see cref="StructHash"/>): what the account signs.</summary>
    public static Hash256 SigningDigest(in Transaction tx, Eip712Domain domain) => domain.Digest(StructHash(tx));

    /// <summary>hashStruct(MarketParams). Allocates (the symbol's bytes, the signer array's words).</summary>
    public static Hash256 MarketParamsHash(MarketParams parameters)
    {
        Span<byte> buffer = stackalloc byte[MarketParamsWords * AbiWords.WordLength];
        var words = new AbiWords(buffer);
        words.Hash(MarketParamsTypeHash);
        words.Hash(Keccak256.Compute(Encoding.UTF8.GetBytes(parameters.Symbol)));
        words.UInt256(parameters.TickSize);
        words.UInt256(parameters.LotSize);
        words.UInt256(parameters.SizeScale);
        words.UInt256(parameters.InitialMarginPpm);
        words.UInt256(parameters.MaintenanceMarginPpm);
        words.UInt256(parameters.MakerFeePpm);
        words.UInt256(parameters.TakerFeePpm);
        words.UInt256(parameters.PriceBandPpm);
        words.UInt256(parameters.MaxOpenOrdersPerAccount);
        words.UInt256(parameters.FundingIntervalBlocks);
        words.UInt256(parameters.FundingCapPpm);
        words.UInt256(parameters.LiquidationFeePpm);
        words.UInt256(parameters.HaltMovePpm);
        words.UInt256(parameters.HaltWindowBlocks);
        words.UInt256(parameters.MaxBookOrders);
        words.UInt256(parameters.MaxBookLevels);

        // address[]: keccak256 of the concatenated 32-byte words of its elements.
        var signers = new byte[parameters.OracleSigners.Count * AbiWords.WordLength];
        var signerWords = new AbiWords(signers);
        foreach (var signer in parameters.OracleSigners)
        {
            signerWords.Address(signer);
        }
        words.Hash(Keccak256.Compute(signers));
        return Keccak256.Compute(words.Written);
    }

    /// <summary>
    /// The items member of a Bulk: keccak256 of the items' hashStructs concatenated (EIP-712's array of structs), each
    /// item naming <paramref name="market"/>. Allocates nothing (at most <see cref="BulkItem.MaxItems"/> hashes on the stack).
    /// </summary>
    public static Hash256 BulkItemsHash(uint market, ReadOnlySpan<BulkItem> items)
    {
        if (items.Length > BulkItem.MaxItems)
        {
            ThrowMissingItems();
        }
        Span<byte> hashes = stackalloc byte[BulkItem.MaxItems * Hash256.Length];
        Span<byte> buffer = stackalloc byte[BulkItemWords * AbiWords.WordLength];
        for (var i = 0; i < items.Length; i++)
        {
            ref readonly var item = ref items[i];
            var words = new AbiWords(buffer);
            words.Hash(BulkItemTypeHash);
            words.UInt256(market);
            words.UInt256((byte)item.Action);
            words.UInt256(item.OrderId);
            words.Bool(item.IsBuy);
            words.UInt256(item.Price);
            words.UInt256(item.Size);
            words.UInt256((byte)item.OrderKind);
            words.UInt256((byte)item.TimeInForce);
            words.Bool(item.ReduceOnly);
            words.UInt256(item.ClientOrderId);
            Keccak256.Compute(words.Written).CopyTo(hashes[(i * Hash256.Length)..]);
        }
        return Keccak256.Compute(hashes[..(items.Length * Hash256.Length)]);
    }

    /// <summary>
    /// Signs <paramref name="tx"/> with <paramref name="key"/> in <paramref name="domain"/> and returns it with its
    /// <see cref="Transaction.Signature"/> set (v = 0 or 1). For tests, tools and the load generator: it does not check
    /// that the key is the account's, so a test can make a transaction signed by the wrong key.
    /// </summary>
    public static Transaction Sign(in Transaction tx, PrivateKey key, Eip712Domain domain)
    {
        var digest = SigningDigest(tx, domain);
        Span<byte> signature = stackalloc byte[Signature.Length];
        key.Sign(digest.Bytes, signature);
        return tx with { Signature = new Signature(signature) };
    }

    /// <summary>
    /// Recovers who signed <paramref name="tx"/> in <paramref name="domain"/>. The transaction is authentic when this
    /// returns <see cref="SignatureError.None"/> and <paramref name="signer"/> is its <see cref="Transaction.Account"/>.
    /// </summary>
    public static SignatureError TryRecoverSigner(in Transaction tx, Eip712Domain domain, out Address signer)
    {
        var digest = SigningDigest(tx, domain);
        return Secp256k1.TryRecoverAddress(digest.Bytes, tx.Signature.Bytes, out signer);
    }

    private static Hash256 TypeHashOf(string encodedType) => Keccak256.Compute(Encoding.ASCII.GetBytes(encodedType));

    private static TxLayout SignedLayout(TxKind kind) =>
        kind.IsSigned() ? TxLayout.Of(kind) : ThrowNotSigned<TxLayout>(kind);

    [DoesNotReturn]
    private static T ThrowNotSigned<T>(TxKind kind) =>
        throw new ArgumentException(kind == TxKind.Deposit
            ? "a Deposit is derived from L1 and not signed: it has no EIP-712 type"
            : $"transaction kind {(byte)kind} is not defined");

    [DoesNotReturn]
    private static ValueArray<BulkItem> ThrowMissingItems() =>
        throw new ArgumentException($"a Bulk transaction carries 1 to {BulkItem.MaxItems} items");

    [DoesNotReturn]
    private static MarketParams ThrowMissingParams(TxKind kind) =>
        throw new ArgumentException($"a {kind} transaction carries MarketParams, but Params is null");
}
