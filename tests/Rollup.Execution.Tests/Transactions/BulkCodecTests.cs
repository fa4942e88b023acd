using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Tests.Transactions;

/// <summary>The Bulk kind's binary form against bytes written out by hand from docs/transactions.md, and its refusals.</summary>
public class BulkCodecTests
{
    // One item of each action, in market 7, nonce 42 (written from the doc's tables, not by the encoder).
    private const string Vector =
        "0d"                                                        // kind: Bulk
        + "000102030405060708090a0b0c0d0e0f10111213"                  // account
        + "00000007"                                                  // market
        + "04"                                                        // 4 items
        + "00" + "01" + "00000000002dc6c0" + "0000000000000019" + "00" + "03" + "00" + "000000000000002b" // place: buy 25 @ 3,000,000 limit post-only, client id 43
        + "01" + "0102030405060708"                                   // cancel order 0x0102030405060708
        + "02" + "000000000000002b"                                   // cancel by client id 43
        + "03" + "0000000000000009" + "00" + "00000000002dc6c0" + "0000000000000019" + "01" + "01" + "01" + "0000000000000000" // cancel-replace 9 by: sell 25 @ 3,000,000 market IOC reduce-only
        + "000000000000002a"                                          // nonce
        + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "1b";

    private static Transaction Expected() => new()
    {
        Kind = TxKind.Bulk,
        Account = Address.Parse("0x000102030405060708090a0b0c0d0e0f10111213"),
        Market = 7,
        Items = new ValueArray<BulkItem>(
        [
            new BulkItem { Action = BulkAction.Place, IsBuy = true, Price = 3_000_000, Size = 25, OrderKind = OrderKind.Limit, TimeInForce = TimeInForce.PostOnly, ClientOrderId = 43 },
            new BulkItem { Action = BulkAction.Cancel, OrderId = 0x0102030405060708 },
            new BulkItem { Action = BulkAction.CancelByClientId, ClientOrderId = 43 },
            new BulkItem
            {
                Action = BulkAction.CancelReplace, OrderId = 9, IsBuy = false, Price = 3_000_000, Size = 25, OrderKind = OrderKind.Market,
                TimeInForce = TimeInForce.Ioc, ReduceOnly = true,
            },
        ]),
        Nonce = 42,
        Signature = new Signature(Hex.Parse(new string('a', 64) + new string('b', 64) + "1b")),
    };

    [Fact]
    public void HandWrittenVector_DecodesToItsBulk_AndEncodesBack()
    {
        var bytes = Hex.Parse(Vector);
        Assert.Equal(99 + 29 + 9 + 9 + 37, bytes.Length);
        Assert.True(TransactionCodec.TryDecode(bytes, out var tx, out var consumed, out var error), error.ToString());
        Assert.Equal(Expected(), tx);
        Assert.Equal(bytes.Length, consumed);
        var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, encoded);
        Assert.Equal(bytes, encoded);
    }

    public static TheoryData<string, string, TxDecodeError> Malformed() => new()
    {
        { "no items", Vector[..50] + "00" + Vector[52..], TxDecodeError.BadBulkItemCount },
        { "65 items", Vector[..50] + "41" + Vector[52..], TxDecodeError.BadBulkItemCount },
        { "action 4", Vector[..52] + "04" + Vector[54..], TxDecodeError.BadBulkAction },
        { "bool 2 in a place", Vector[..54] + "02" + Vector[56..], TxDecodeError.BadBool },
        { "order kind 2", Vector[..88] + "02" + Vector[90..], TxDecodeError.BadOrderKind },
        { "time in force 4", Vector[..90] + "04" + Vector[92..], TxDecodeError.BadTimeInForce },
        // The cancel-replace's new client id made 43, the place's: two orders of one bulk with one client id.
        { "duplicate client id", Vector[..^(2 * (8 + 65 + 8))] + "000000000000002b" + Vector[^(2 * (8 + 65))..], TxDecodeError.DuplicateClientOrderId },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedBulk_IsRefusedWithItsReason(string what, string hex, TxDecodeError expected)
    {
        Assert.False(TransactionCodec.TryDecode(Hex.Parse(hex), out var tx, out _, out var error), what);
        Assert.Equal(expected, error);
        Assert.Equal(default, tx);
    }

    [Fact]
    public void Encode_BulkNotWellFormed_ThrowsWithItsReason()
    {
        var bulk = Expected();
        var items = bulk.Items!.ToArray();
        (Transaction Tx, TxDecodeError Error)[] cases =
        [
            (bulk with { Items = null }, TxDecodeError.BadBulkItemCount),
            (bulk with { Items = new ValueArray<BulkItem>([]) }, TxDecodeError.BadBulkItemCount),
            (bulk with { Items = new ValueArray<BulkItem>(Enumerable.Repeat(items[1], 65).ToArray()) }, TxDecodeError.BadBulkItemCount),
            (bulk with { Items = new ValueArray<BulkItem>([items[1] with { Price = 1 }]) }, TxDecodeError.UnusedFieldSet), // a cancel with a price
            (bulk with { Items = new ValueArray<BulkItem>([items[0], items[0]]) }, TxDecodeError.DuplicateClientOrderId),
            (bulk with { Items = new ValueArray<BulkItem>([items[0] with { Action = (BulkAction)4 }]) }, TxDecodeError.BadBulkAction),
            (bulk with { Price = 5 }, TxDecodeError.UnusedFieldSet), // a bulk's orders are in its items
        ];
        foreach (var (tx, error) in cases)
        {
            Assert.Equal(error, TransactionCodec.Validate(tx));
            var thrown = Assert.Throws<ArgumentException>(() => TransactionCodec.Encode(tx, new byte[TransactionCodec.MaxEncodedLength]));
            Assert.Contains(error.ToString(), thrown.Message, StringComparison.Ordinal);
        }
        // Cancels may share client ids with places (cancel by client id 43, then place 43 anew), and zero is no id.
        var fine = bulk with { Items = new ValueArray<BulkItem>([items[2], items[0], items[1] , items[0] with { ClientOrderId = 0 }, items[0] with { ClientOrderId = 0 }]) };
        Assert.Equal(TxDecodeError.None, TransactionCodec.Validate(fine));
    }

    [Fact]
    public void Equality_IsByTheItemsValues()
    {
        Assert.Equal(Expected(), Expected());
        Assert.Equal(Expected().GetHashCode(), Expected().GetHashCode());
        var other = Expected() with { Items = new ValueArray<BulkItem>([.. Expected().Items!.Take(3)]) };
        Assert.NotEqual(Expected(), other);
    }
}
