using System.Buffers;
using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Bridge.Batches;

/// <summary>
/// Writes a batch's blocks as the columnar payload of docs/batches.md: each field of every transaction in
/// its own column, so the compressor sees like next to like; accounts as indexes into a table of the
/// batch's addresses; nonces, prices and oracle times as deltas from the same account's or market's last.
/// </summary>
public static class ColumnarBatchEncoder
{
    public static byte[] Encode(L2Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var columns = new ArrayBufferWriter<byte>[BatchColumns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new ArrayBufferWriter<byte>();
        }
        var state = new DeltaState();
        ulong previousTimestamp = 0;
        var expectedNumber = batch.FirstBlock;
        foreach (var block in batch.Blocks)
        {
            if (block.Number != expectedNumber)
            {
                throw new ArgumentException($"blocks must be consecutive: expected {expectedNumber}, got {block.Number}", nameof(batch));
            }
            expectedNumber++;
            Varint.WriteSigned(columns[(int)BatchColumn.Blocks], unchecked((long)(block.Timestamp - previousTimestamp)));
            Varint.Write(columns[(int)BatchColumn.Blocks], (ulong)block.Transactions.Length);
            previousTimestamp = block.Timestamp;
            foreach (var tx in block.Transactions)
            {
                WriteTransaction(tx, columns, state);
            }
        }

        var roots = columns[(int)BatchColumn.MarketRoots];
        for (var i = 0; i < batch.MarketRoots.Count; i++)
        {
            var root = batch.MarketRoots[i];
            if (i > 0 && batch.MarketRoots[i - 1].Market >= root.Market)
            {
                throw new ArgumentException("market roots must be in strictly increasing market order", nameof(batch));
            }
            Varint.Write(roots, root.Market);
            root.Root.CopyTo(roots.GetSpan(Hash256.Length));
            roots.Advance(Hash256.Length);
        }

        var payload = new ArrayBufferWriter<byte>();
        BinaryPrimitives.WriteUInt64BigEndian(payload.GetSpan(8), batch.FirstBlock);
        payload.Advance(8);
        Varint.Write(payload, (ulong)batch.Blocks.Count);
        Varint.Write(payload, (ulong)batch.TransactionCount);
        for (var i = 0; i < columns.Length; i++)
        {
            // The bulk column is written only when a bulk wrote to it: a batch without one has the columns it always had.
            if (i >= BatchColumns.Always && columns[i].WrittenCount == 0)
            {
                continue;
            }
            Varint.Write(payload, (ulong)columns[i].WrittenCount);
            payload.Write(columns[i].WrittenSpan);
        }
        return payload.WrittenSpan.ToArray();
    }

    private static void WriteTransaction(in Transaction tx, ArrayBufferWriter<byte>[] columns, DeltaState state)
    {
        var error = TransactionCodec.Validate(tx);
        if (error != TxDecodeError.None)
        {
            throw new ArgumentException($"a {tx.Kind} transaction cannot be batched: {TransactionCodec.Describe(error)}");
        }
        var fields = TxFieldsOf.Kind(tx.Kind);
        columns[(int)BatchColumn.Kinds].Write([(byte)tx.Kind]);
        var account = state.AccountIndex(tx.Account, columns[(int)BatchColumn.AccountTable]);
        Varint.Write(columns[(int)BatchColumn.AccountRefs], (ulong)account);
        if ((fields & TxFields.Market) != 0)
        {
            Varint.Write(columns[(int)BatchColumn.Markets], tx.Market);
        }
        if ((fields & TxFields.Nonce) != 0)
        {
            Varint.WriteSigned(columns[(int)BatchColumn.Nonces], unchecked((long)(tx.Nonce - state.SwapNonce(account, tx.Nonce))));
        }
        if ((fields & TxFields.Flags) != 0)
        {
            columns[(int)BatchColumn.Flags].Write([TxFlags.Of(tx)]);
        }
        if ((fields & TxFields.Price) != 0)
        {
            Varint.WriteSigned(columns[(int)BatchColumn.Prices], unchecked((long)(tx.Price - state.SwapPrice(tx.Market, tx.Price))));
        }
        if ((fields & TxFields.Size) != 0)
        {
            Varint.Write(columns[(int)BatchColumn.Sizes], tx.Size);
        }
        if ((fields & TxFields.Amount) != 0)
        {
            Varint.Write(columns[(int)BatchColumn.Amounts], tx.Amount);
        }
        if ((fields & TxFields.ClientOrderId) != 0)
        {
            Varint.Write(columns[(int)BatchColumn.ClientOrderIds], tx.ClientOrderId);
        }
        if ((fields & TxFields.OrderId) != 0)
        {
            Varint.Write(columns[(int)BatchColumn.OrderIds], tx.OrderId);
        }
        if ((fields & TxFields.DepositIndex) != 0)
        {
            Varint.WriteSigned(columns[(int)BatchColumn.DepositIndexes], unchecked((long)(tx.DepositIndex - state.NextDepositIndex)));
            state.NextDepositIndex = tx.DepositIndex + 1;
        }
        if ((fields & TxFields.OracleTimestamp) != 0)
        {
            Varint.WriteSigned(columns[(int)BatchColumn.OracleTimestamps], unchecked((long)(tx.Timestamp - state.SwapOracleTime(tx.Market, tx.Timestamp))));
        }
        if ((fields & TxFields.Params) != 0)
        {
            var parameters = tx.Params!;
            var length = TransactionCodec.ParamsLength(parameters);
            Varint.Write(columns[(int)BatchColumn.Params], (ulong)length);
            var span = columns[(int)BatchColumn.Params].GetSpan(length);
            TransactionCodec.EncodeParams(parameters, span);
            columns[(int)BatchColumn.Params].Advance(length);
        }
        if ((fields & TxFields.BulkItems) != 0)
        {
            WriteItems(tx, columns, state);
        }
        if ((fields & TxFields.Signature) != 0)
        {
            var signature = tx.Signature.Bytes;
            columns[(int)BatchColumn.Signatures].Write(signature[..64]);
            columns[(int)BatchColumn.SignatureV].Write(signature[64..]);
        }
    }

    /// <summary>
    /// A bulk's items, columnar like single transactions: the count, then per item its flags byte (action in bits 6-7)
    /// and the fields its action carries, in the columns a PlaceOrder or a cancel would use; prices are deltas in the market.
    /// </summary>
    private static void WriteItems(in Transaction tx, ArrayBufferWriter<byte>[] columns, DeltaState state)
    {
        var items = tx.Items!.Span;
        Varint.Write(columns[(int)BatchColumn.BulkItemCounts], (ulong)items.Length);
        foreach (ref readonly var item in items)
        {
            columns[(int)BatchColumn.Flags].Write([TxFlags.Of(item)]);
            if (item.CarriesOrderId)
            {
                Varint.Write(columns[(int)BatchColumn.OrderIds], item.OrderId);
            }
            if (item.Places)
            {
                Varint.WriteSigned(columns[(int)BatchColumn.Prices], unchecked((long)(item.Price - state.SwapPrice(tx.Market, item.Price))));
                Varint.Write(columns[(int)BatchColumn.Sizes], item.Size);
            }
            if (item.Places || item.Action == BulkAction.CancelByClientId)
            {
                Varint.Write(columns[(int)BatchColumn.ClientOrderIds], item.ClientOrderId);
            }
        }
    }

    /// <summary>What the deltas are taken from: the last value seen for the same account or market in the batch.</summary>
    private sealed class DeltaState
    {
        private readonly Dictionary<Address, int> _accounts = [];
        private readonly List<ulong> _nonces = [];
        private readonly Dictionary<uint, ulong> _prices = [];
        private readonly Dictionary<uint, ulong> _oracleTimes = [];

        public ulong NextDepositIndex { get; set; }

        public int AccountIndex(in Address account, ArrayBufferWriter<byte> table)
        {
            if (_accounts.TryGetValue(account, out var index))
            {
                return index;
            }
            index = _accounts.Count;
            _accounts.Add(account, index);
            _nonces.Add(0);
            var span = table.GetSpan(Address.Length);
            account.CopyTo(span);
            table.Advance(Address.Length);
            return index;
        }

        public ulong SwapNonce(int account, ulong nonce)
        {
            var previous = _nonces[account];
            _nonces[account] = nonce;
            return previous;
        }

        public ulong SwapPrice(uint market, ulong price) => Swap(_prices, market, price);

        public ulong SwapOracleTime(uint market, ulong timestamp) => Swap(_oracleTimes, market, timestamp);

        private static ulong Swap(Dictionary<uint, ulong> last, uint market, ulong value)
        {
            last.TryGetValue(market, out var previous);
            last[market] = value;
            return previous;
        }
    }
}
