using Rollup.Bridge.Batches;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Bridge.Tests.Batches;

/// <summary>Bulks in the columnar payload: the signature once, the items in the columns single orders use.</summary>
public class BulkBatchTests
{
    private static readonly Address Trader = Address.Parse("0x000102030405060708090a0b0c0d0e0f10111213");
    private static readonly Signature Sig = new(Hex.Parse(new string('a', 64) + new string('b', 64) + "1b"));

    private static Transaction Bulk() => new()
    {
        Kind = TxKind.Bulk,
        Account = Trader,
        Market = 3,
        Nonce = 5,
        Items = new ValueArray<BulkItem>(
        [
            new BulkItem { Action = BulkAction.Place, IsBuy = true, Price = 100, Size = 2, ClientOrderId = 9 },
            new BulkItem { Action = BulkAction.Cancel, OrderId = 300 },
        ]),
        Signature = Sig,
    };

    [Fact]
    public void A_bulk_is_laid_out_as_docs_batches_md_says()
    {
        // Written out by hand from docs/batches.md, column by column (length varint, then the bytes).
        var expected =
            "0000000000000001" + "01" + "01"                  // first block 1, one block, one transaction
            + "03" + "d00f" + "01"                              // Blocks: zigzag(1000) = 2000, 1 transaction
            + "01" + "0d"                                       // Kinds: Bulk
            + "14" + "000102030405060708090a0b0c0d0e0f10111213" // AccountTable
            + "01" + "00"                                       // AccountRefs
            + "01" + "03"                                       // Markets: 3, once for the bulk
            + "01" + "0a"                                       // Nonces: zigzag(5)
            + "02" + "01" + "40"                                // Flags: a buy place; action 1 (cancel) in bits 6-7
            + "02" + "c801"                                     // Prices: zigzag(100) = 200
            + "01" + "02"                                       // Sizes
            + "00"                                              // Amounts
            + "01" + "09"                                       // ClientOrderIds
            + "02" + "ac02"                                     // OrderIds: 300
            + "00" + "00" + "00"                                // DepositIndexes, OracleTimestamps, Params
            + "40" + new string('a', 64) + new string('b', 64)  // Signatures: r ‖ s, once for both items
            + "01" + "1b"                                       // SignatureV
            + "00"                                              // MarketRoots
            + "01" + "02";                                      // BulkItemCounts: 2
        var payload = ColumnarBatchEncoder.Encode(new L2Batch([new Block(1, 1000, [Bulk()])]));
        Assert.Equal(expected, Convert.ToHexStringLower(payload));
        var decoded = ColumnarBatchDecoder.Decode(payload, BatchLimits.Default);
        Assert.Equal(Bulk(), Assert.Single(decoded.Blocks[0].Transactions));
    }

    [Fact]
    public void A_batch_without_a_bulk_has_no_bulk_column_and_refuses_an_empty_one()
    {
        var withdraw = new Transaction { Kind = TxKind.Withdraw, Account = Trader, Amount = 7, Nonce = 1, Signature = Sig };
        var payload = ColumnarBatchEncoder.Encode(new L2Batch([new Block(1, 1000, [withdraw])]));
        Assert.Equal("00", Convert.ToHexStringLower(payload.AsSpan(payload.Length - 1))); // ends with the empty MarketRoots column
        Assert.Throws<BatchFormatException>(() => ColumnarBatchDecoder.Decode([.. payload, 0x00], BatchLimits.Default));

        // And a bulk whose batch lost its count column does not decode.
        var bulk = ColumnarBatchEncoder.Encode(new L2Batch([new Block(1, 1000, [Bulk()])]));
        Assert.Throws<BatchFormatException>(() => ColumnarBatchDecoder.Decode(bulk.AsSpan(0, bulk.Length - 2), BatchLimits.Default));
    }

    [Fact]
    public void Sixteen_item_bulks_cost_a_fraction_of_single_orders_in_the_payload()
    {
        var random = new Random(3);
        var singles = new List<Transaction>();
        var bulks = new List<Transaction>();
        ulong nonce = 0;
        for (var b = 0; b < 64; b++)
        {
            var items = new BulkItem[16];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = new BulkItem
                {
                    Action = BulkAction.Place, IsBuy = random.Next(2) == 0, Price = (ulong)(3_000_000 + (random.Next(-50, 50) * 100)),
                    Size = (ulong)random.Next(1, 100), ClientOrderId = (ulong)((b * 16) + i + 1),
                };
                var signature = new byte[Signature.Length];
                random.NextBytes(signature);
                singles.Add(new Transaction
                {
                    Kind = TxKind.PlaceOrder, Account = Trader, Market = 1, IsBuy = items[i].IsBuy, Price = items[i].Price, Size = items[i].Size,
                    ClientOrderId = items[i].ClientOrderId, Nonce = nonce++, Signature = new Signature(signature),
                });
            }
            var bulkSignature = new byte[Signature.Length];
            random.NextBytes(bulkSignature);
            bulks.Add(new Transaction { Kind = TxKind.Bulk, Account = Trader, Market = 1, Items = new ValueArray<BulkItem>(items), Nonce = (ulong)b, Signature = new Signature(bulkSignature) });
        }
        var single = ColumnarBatchEncoder.Encode(new L2Batch([new Block(1, 1000, [.. singles])])).Length;
        var bulk = ColumnarBatchEncoder.Encode(new L2Batch([new Block(1, 1000, [.. bulks])])).Length;
        // A single order carries its 65-byte signature; sixteen orders of a bulk share one.
        Assert.True(single / 1024.0 > 65, $"{single / 1024.0:F1} B per single order");
        Assert.True(bulk / 1024.0 < 16, $"{bulk / 1024.0:F1} B per bulk order");
    }
}
