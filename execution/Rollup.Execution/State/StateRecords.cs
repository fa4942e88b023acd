using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.State;

/// <summary>
/// Value encodings of the state tables: fixed-width big-endian fields in the order listed (docs/state.md).
/// These bytes are what the state trees hash, so they are protocol.
/// </summary>
public static class StateRecords
{
    /// <summary>Account: free balance (i64) ‖ nonce window, while it holds no credit.</summary>
    public const int AccountLength = 8 + ReplayWindow.EncodedLength;

    /// <summary>A held credit in an account record: market (u32) ‖ block (u64) ‖ amount (i64).</summary>
    public const int HeldCreditLength = 4 + 8 + 8;

    /// <summary>The longest account record: with <see cref="HeldCredits.MaxMarkets"/> held credits.</summary>
    public const int MaxAccountLength = AccountLength + 1 + (HeldCredits.MaxMarkets * HeldCreditLength);

    /// <summary>The record's length: <see cref="AccountLength"/>, and with held credits a count (u8) and each one.</summary>
    public static int AccountRecordLength(AccountState account) =>
        account.Held.Count == 0 ? AccountLength : AccountLength + 1 + (account.Held.Count * HeldCreditLength);

    /// <summary>Writes the record and returns its length (<see cref="AccountRecordLength"/>).</summary>
    public static int EncodeAccount(AccountState account, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, account.FreeBalance);
        account.Nonces.Encode(destination[8..]);
        var held = account.Held.Count;
        if (held == 0)
        {
            return AccountLength;
        }
        destination[AccountLength] = (byte)held;
        var at = AccountLength + 1;
        for (var i = 0; i < held; i++, at += HeldCreditLength)
        {
            var entry = account.Held[i];
            BinaryPrimitives.WriteUInt32BigEndian(destination[at..], entry.Market);
            BinaryPrimitives.WriteUInt64BigEndian(destination[(at + 4)..], entry.Block);
            BinaryPrimitives.WriteInt64BigEndian(destination[(at + 12)..], entry.Amount);
        }
        return at;
    }

    public static byte[] EncodeAccount(AccountState account)
    {
        var record = new byte[AccountRecordLength(account)];
        EncodeAccount(account, record);
        return record;
    }

    /// <summary>
    /// The record, or null if it is not one the accounts tree can hold: a length that is not 24 or 25 + 20k with
    /// 1 ≤ k ≤ 8 held credits, an unreachable nonce window, held markets not strictly ascending, a negative held amount
    /// (the accounts step verifier refuses the same records, BadRecord).
    /// </summary>
    public static AccountState? TryDecodeAccount(ReadOnlySpan<byte> source)
    {
        if (source.Length < AccountLength || !ReplayWindow.TryDecode(source[8..AccountLength], out var nonces))
        {
            return null;
        }
        var account = new AccountState { FreeBalance = BinaryPrimitives.ReadInt64BigEndian(source), Nonces = nonces };
        if (source.Length == AccountLength)
        {
            return account;
        }
        var held = source[AccountLength];
        if (held is 0 or > HeldCredits.MaxMarkets || source.Length != AccountLength + 1 + (held * HeldCreditLength))
        {
            return null;
        }
        Span<HeldCredit> entries = stackalloc HeldCredit[held];
        for (var i = 0; i < held; i++)
        {
            var at = source[(AccountLength + 1 + (i * HeldCreditLength))..];
            entries[i] = new HeldCredit(BinaryPrimitives.ReadUInt32BigEndian(at), BinaryPrimitives.ReadUInt64BigEndian(at[4..]), BinaryPrimitives.ReadInt64BigEndian(at[12..]));
            if (entries[i].Amount < 0 || (i > 0 && entries[i].Market <= entries[i - 1].Market))
            {
                return null;
            }
        }
        account.Held.Load(entries);
        return account;
    }

    public static AccountState DecodeAccount(ReadOnlySpan<byte> source) =>
        TryDecodeAccount(source) ?? throw new InvalidDataException("corrupt account record in the state database");

    /// <summary>Position: size (i64) ‖ collateral (i64) ‖ settled funding index (i64).</summary>
    public const int PositionLength = 24;

    /// <summary>A position whose settled funding index is 0 ends after its collateral (as every position did before funding had an index).</summary>
    public const int ShortPositionLength = 16;

    /// <summary>Order: account (20) ‖ isBuy (1) ‖ price (i64) ‖ remaining size (i64) ‖ client order id (u64) ‖ reduceOnly (1).</summary>
    public const int OrderLength = 20 + 1 + 8 + 8 + 8 + 1;

    /// <summary>Writes the record and returns its length: <see cref="ShortPositionLength"/> when the settled index is 0.</summary>
    public static int EncodePosition(long size, long collateral, long settledFundingIndex, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, size);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], collateral);
        if (settledFundingIndex == 0)
        {
            return ShortPositionLength;
        }
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], settledFundingIndex);
        return PositionLength;
    }

    public static (long Size, long Collateral, long SettledFundingIndex) DecodePosition(ReadOnlySpan<byte> source)
    {
        Require(source.Length is PositionLength or ShortPositionLength, "position");
        return (BinaryPrimitives.ReadInt64BigEndian(source), BinaryPrimitives.ReadInt64BigEndian(source[8..]),
            source.Length == PositionLength ? BinaryPrimitives.ReadInt64BigEndian(source[16..]) : 0);
    }

    public static void EncodeOrder(in Address account, bool isBuy, long price, long size, ulong clientOrderId, bool reduceOnly, Span<byte> destination)
    {
        account.CopyTo(destination);
        destination[20] = isBuy ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(destination[21..], price);
        BinaryPrimitives.WriteInt64BigEndian(destination[29..], size);
        BinaryPrimitives.WriteUInt64BigEndian(destination[37..], clientOrderId);
        destination[45] = reduceOnly ? (byte)1 : (byte)0;
    }

    public static (Address Account, bool IsBuy, long Price, long Size, ulong ClientOrderId, bool ReduceOnly) DecodeOrder(ReadOnlySpan<byte> source)
    {
        Require(source.Length == OrderLength, "order");
        return (new Address(source[..20]), source[20] == 1, BinaryPrimitives.ReadInt64BigEndian(source[21..]),
            BinaryPrimitives.ReadInt64BigEndian(source[29..]), BinaryPrimitives.ReadUInt64BigEndian(source[37..]), source[45] == 1);
    }

    /// <summary>
    /// Market: halt reason (1) ‖ oracle price (i64) ‖ oracle timestamp (u64) ‖ mark (i64) ‖ fee pool (i64) ‖
    /// net transfers in (i64) ‖ last funding block (u64) ‖ halt window start block (u64) ‖ halt window start mark (i64) ‖ parameters (as in a CreateMarket transaction, docs/transactions.md) ‖
    /// funding index (i64) ‖ funding pool (i64). While both are 0 the record ends after the parameters (as every
    /// market record did before funding had an index).
    /// </summary>
    public static byte[] EncodeMarket(in MarketSnapshot market)
    {
        var paramsLength = TransactionCodec.ParamsLength(market.Params);
        var hasFunding = market.FundingIndex != 0 || market.FundingPool != 0;
        var bytes = new byte[MarketFixedLength + paramsLength + (hasFunding ? MarketFundingLength : 0)];
        var span = bytes.AsSpan();
        span[0] = (byte)market.HaltReason;
        BinaryPrimitives.WriteInt64BigEndian(span[1..], market.OraclePrice);
        BinaryPrimitives.WriteUInt64BigEndian(span[9..], market.OracleTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[17..], market.MarkPrice);
        BinaryPrimitives.WriteInt64BigEndian(span[25..], market.FeePool);
        BinaryPrimitives.WriteInt64BigEndian(span[33..], market.NetTransfersIn);
        BinaryPrimitives.WriteUInt64BigEndian(span[41..], market.LastFundingBlock);
        BinaryPrimitives.WriteUInt64BigEndian(span[49..], market.HaltWindowStartBlock);
        BinaryPrimitives.WriteInt64BigEndian(span[57..], market.HaltWindowStartMark);
        TransactionCodec.EncodeParams(market.Params, span[MarketFixedLength..]);
        if (hasFunding)
        {
            var funding = span[(MarketFixedLength + paramsLength)..];
            BinaryPrimitives.WriteInt64BigEndian(funding, market.FundingIndex);
            BinaryPrimitives.WriteInt64BigEndian(funding[8..], market.FundingPool);
        }
        return bytes;
    }

    public static MarketSnapshot DecodeMarket(ReadOnlySpan<byte> source)
    {
        Require(source.Length > MarketFixedLength, "market");
        var error = TransactionCodec.DecodeParams(source[MarketFixedLength..], out var parameters, out var consumed);
        var rest = source.Length - MarketFixedLength - consumed;
        Require(error == TxDecodeError.None && rest is 0 or MarketFundingLength, "market parameters");
        var funding = source[(MarketFixedLength + consumed)..];
        return new MarketSnapshot(
            (HaltReason)source[0],
            BinaryPrimitives.ReadInt64BigEndian(source[1..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[9..]),
            BinaryPrimitives.ReadInt64BigEndian(source[17..]),
            BinaryPrimitives.ReadInt64BigEndian(source[25..]),
            BinaryPrimitives.ReadInt64BigEndian(source[33..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[41..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[49..]),
            BinaryPrimitives.ReadInt64BigEndian(source[57..]),
            parameters,
            rest == 0 ? 0 : BinaryPrimitives.ReadInt64BigEndian(funding),
            rest == 0 ? 0 : BinaryPrimitives.ReadInt64BigEndian(funding[8..]));
    }

    private const int MarketFixedLength = 1 + (8 * 8);

    private const int MarketFundingLength = 8 + 8;

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidDataException($"corrupt {what} record in the state database");
        }
    }
}

/// <summary>The stored fields of a market, apart from its positions and orders.</summary>
public readonly record struct MarketSnapshot(
    HaltReason HaltReason,
    long OraclePrice,
    ulong OracleTimestamp,
    long MarkPrice,
    long FeePool,
    long NetTransfersIn,
    ulong LastFundingBlock,
    ulong HaltWindowStartBlock,
    long HaltWindowStartMark,
    MarketParams Params,
    long FundingIndex,
    long FundingPool);
