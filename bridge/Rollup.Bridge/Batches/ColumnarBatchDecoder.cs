using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Bridge.Batches;

/// <summary>
/// Reads a columnar payload back into blocks, refusing anything the encoder would not have written: counts
/// past the limits, a column cut short or left with bytes over, an account table out of first-use order or
/// with a repeat, an overlong varint, a transaction the wire codec would refuse. Every check happens before
/// the memory it guards is allocated.
/// </summary>
public static class ColumnarBatchDecoder
{
    public static L2Batch Decode(ReadOnlySpan<byte> payload, BatchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (payload.Length > limits.MaxPayloadBytes)
        {
            throw new BatchFormatException($"payload of {payload.Length} bytes exceeds the limit of {limits.MaxPayloadBytes}");
        }
        if (payload.Length < 8)
        {
            throw new BatchFormatException("payload shorter than its header");
        }
        var firstBlock = BinaryPrimitives.ReadUInt64BigEndian(payload);
        var position = 8;
        var blockCount = ReadCount(payload, ref position, limits.MaxBlocks, "block count");
        var txCount = ReadCount(payload, ref position, limits.MaxTransactions, "transaction count");
        if (blockCount == 0)
        {
            throw new BatchFormatException("a batch carries at least one block");
        }
        if (firstBlock == 0 || firstBlock > ulong.MaxValue - (ulong)blockCount)
        {
            throw new BatchFormatException($"block numbers {firstBlock} + {blockCount} are out of range");
        }

        var columns = new ColumnCursor[BatchColumns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            if (i >= BatchColumns.Always && position == payload.Length)
            {
                // A batch without a bulk has no bulk column: reading from it finds it empty.
                columns[i] = new ColumnCursor((BatchColumn)i, position, position);
                continue;
            }
            var length = ReadCount(payload, ref position, payload.Length - position, $"length of column {(BatchColumn)i}");
            if (i >= BatchColumns.Always && length == 0)
            {
                throw new BatchFormatException($"column {(BatchColumn)i} is present but empty: it is written only when it holds something");
            }
            columns[i] = new ColumnCursor((BatchColumn)i, position, position + length);
            position += length;
        }
        if (position != payload.Length)
        {
            throw new BatchFormatException($"{payload.Length - position} bytes after the last column");
        }

        var accountTable = columns[(int)BatchColumn.AccountTable];
        if (accountTable.Remaining % Address.Length != 0 || accountTable.Remaining / Address.Length > txCount)
        {
            throw new BatchFormatException($"account table of {accountTable.Remaining} bytes is not a whole number of addresses up to the transaction count");
        }
        var state = new DeltaState(accountTable.Remaining / Address.Length);

        var blocks = new Block[blockCount];
        ulong timestamp = 0;
        var decoded = 0;
        for (var b = 0; b < blockCount; b++)
        {
            timestamp = unchecked(timestamp + (ulong)columns[(int)BatchColumn.Blocks].ReadSigned(payload));
            var count = columns[(int)BatchColumn.Blocks].ReadUnsigned(payload);
            if (count > (ulong)(txCount - decoded))
            {
                throw new BatchFormatException($"block {firstBlock + (ulong)b} claims {count} transactions, more than the batch has left");
            }
            var transactions = new Transaction[(int)count];
            for (var t = 0; t < transactions.Length; t++)
            {
                transactions[t] = ReadTransaction(payload, columns, state);
            }
            decoded += transactions.Length;
            blocks[b] = new Block(firstBlock + (ulong)b, timestamp, transactions);
        }
        if (decoded != txCount)
        {
            throw new BatchFormatException($"header says {txCount} transactions, blocks hold {decoded}");
        }
        var marketRoots = ReadMarketRoots(payload, columns[(int)BatchColumn.MarketRoots]);
        foreach (var column in columns)
        {
            if (column.Remaining != 0)
            {
                throw new BatchFormatException($"column {column.Column} has {column.Remaining} bytes left over");
            }
        }
        return new L2Batch(blocks, marketRoots);
    }

    private static List<MarketRoot> ReadMarketRoots(ReadOnlySpan<byte> payload, ColumnCursor column)
    {
        var roots = new List<MarketRoot>();
        while (column.Remaining > 0)
        {
            var market = column.ReadUnsigned(payload);
            if (market > uint.MaxValue || (roots.Count > 0 && market <= roots[^1].Market))
            {
                throw new BatchFormatException($"market root for {market} is out of range or out of order");
            }
            roots.Add(new MarketRoot((uint)market, new Hash256(column.Read(payload, Hash256.Length))));
        }
        return roots;
    }

    private static Transaction ReadTransaction(ReadOnlySpan<byte> payload, ColumnCursor[] columns, DeltaState state)
    {
        var kind = (TxKind)columns[(int)BatchColumn.Kinds].ReadByte(payload);
        if (!kind.IsDefined())
        {
            throw new BatchFormatException($"unknown transaction kind {(byte)kind}");
        }
        var fields = TxFieldsOf.Kind(kind);
        var accountIndex = columns[(int)BatchColumn.AccountRefs].ReadUnsigned(payload);
        var account = state.Account(accountIndex, payload, columns[(int)BatchColumn.AccountTable]);
        var tx = new Transaction { Kind = kind, Account = account };
        if ((fields & TxFields.Market) != 0)
        {
            var market = columns[(int)BatchColumn.Markets].ReadUnsigned(payload);
            if (market > uint.MaxValue)
            {
                throw new BatchFormatException($"market {market} is out of range");
            }
            tx = tx with { Market = (uint)market };
        }
        if ((fields & TxFields.Nonce) != 0)
        {
            var delta = columns[(int)BatchColumn.Nonces].ReadSigned(payload);
            tx = tx with { Nonce = state.AddNonce((int)accountIndex, delta) };
        }
        if ((fields & TxFields.Flags) != 0 && !TxFlags.TryApply(kind, columns[(int)BatchColumn.Flags].ReadByte(payload), ref tx))
        {
            throw new BatchFormatException($"{kind} has reserved flag bits set");
        }
        if ((fields & TxFields.Price) != 0)
        {
            tx = tx with { Price = state.AddPrice(tx.Market, columns[(int)BatchColumn.Prices].ReadSigned(payload)) };
        }
        if ((fields & TxFields.Size) != 0)
        {
            tx = tx with { Size = columns[(int)BatchColumn.Sizes].ReadUnsigned(payload) };
        }
        if ((fields & TxFields.Amount) != 0)
        {
            tx = tx with { Amount = columns[(int)BatchColumn.Amounts].ReadUnsigned(payload) };
        }
        if ((fields & TxFields.ClientOrderId) != 0)
        {
            tx = tx with { ClientOrderId = columns[(int)BatchColumn.ClientOrderIds].ReadUnsigned(payload) };
        }
        if ((fields & TxFields.OrderId) != 0)
        {
            tx = tx with { OrderId = columns[(int)BatchColumn.OrderIds].ReadUnsigned(payload) };
        }
        if ((fields & TxFields.DepositIndex) != 0)
        {
            var index = unchecked(state.NextDepositIndex + (ulong)columns[(int)BatchColumn.DepositIndexes].ReadSigned(payload));
            state.NextDepositIndex = index + 1;
            tx = tx with { DepositIndex = index };
        }
        if ((fields & TxFields.OracleTimestamp) != 0)
        {
            tx = tx with { Timestamp = state.AddOracleTime(tx.Market, columns[(int)BatchColumn.OracleTimestamps].ReadSigned(payload)) };
        }
        if ((fields & TxFields.Params) != 0)
        {
            tx = tx with { Params = ReadParams(payload, columns[(int)BatchColumn.Params]) };
        }
        if ((fields & TxFields.BulkItems) != 0)
        {
            tx = tx with { Items = ReadItems(payload, columns, state, tx.Market) };
        }
        if ((fields & TxFields.Signature) != 0)
        {
            Span<byte> signature = stackalloc byte[Signature.Length];
            columns[(int)BatchColumn.Signatures].Read(payload, 64).CopyTo(signature);
            signature[64] = columns[(int)BatchColumn.SignatureV].ReadByte(payload);
            tx = tx with { Signature = new Signature(signature) };
        }
        var error = TransactionCodec.Validate(tx);
        if (error != TxDecodeError.None)
        {
            throw new BatchFormatException($"a {kind} transaction is invalid: {TransactionCodec.Describe(error)}");
        }
        return tx;
    }

    private static ValueArray<BulkItem> ReadItems(ReadOnlySpan<byte> payload, ColumnCursor[] columns, DeltaState state, uint market)
    {
        var count = columns[(int)BatchColumn.BulkItemCounts].ReadUnsigned(payload);
        if (count is 0 or > BulkItem.MaxItems)
        {
            throw new BatchFormatException($"a bulk of {count} items: a bulk has 1 to {BulkItem.MaxItems}");
        }
        var items = new BulkItem[(int)count];
        for (var i = 0; i < items.Length; i++)
        {
            if (!TxFlags.TryItem(columns[(int)BatchColumn.Flags].ReadByte(payload), out var item))
            {
                throw new BatchFormatException("a bulk cancel item has order flag bits set");
            }
            if (item.CarriesOrderId)
            {
                item = item with { OrderId = columns[(int)BatchColumn.OrderIds].ReadUnsigned(payload) };
            }
            if (item.Places)
            {
                item = item with
                {
                    Price = state.AddPrice(market, columns[(int)BatchColumn.Prices].ReadSigned(payload)),
                    Size = columns[(int)BatchColumn.Sizes].ReadUnsigned(payload),
                };
            }
            if (item.Places || item.Action == BulkAction.CancelByClientId)
            {
                item = item with { ClientOrderId = columns[(int)BatchColumn.ClientOrderIds].ReadUnsigned(payload) };
            }
            items[i] = item;
        }
        return new ValueArray<BulkItem>(items);
    }

    private static MarketParams ReadParams(ReadOnlySpan<byte> payload, ColumnCursor column)
    {
        var length = column.ReadUnsigned(payload);
        if (length > (ulong)TransactionCodec.MaxSingleEncodedLength)
        {
            throw new BatchFormatException($"market parameters of {length} bytes are longer than any encoding");
        }
        var bytes = column.Read(payload, (int)length);
        var error = TransactionCodec.DecodeParams(bytes, out var parameters, out var consumed);
        if (error != TxDecodeError.None || consumed != bytes.Length)
        {
            throw new BatchFormatException($"bad market parameters: {(error == TxDecodeError.None ? "trailing bytes" : TransactionCodec.Describe(error))}");
        }
        return parameters;
    }

    private static int ReadCount(ReadOnlySpan<byte> payload, ref int position, int max, string what)
    {
        if (!Varint.TryRead(payload, ref position, out var value))
        {
            throw new BatchFormatException($"{what}: truncated or overlong varint");
        }
        if (value > (ulong)max)
        {
            throw new BatchFormatException($"{what} {value} exceeds the limit of {max}");
        }
        return (int)value;
    }

    /// <summary>A read position inside one column of the payload.</summary>
    private sealed class ColumnCursor(BatchColumn column, int start, int end)
    {
        private int _position = start;

        public BatchColumn Column => column;

        public int Remaining => end - _position;

        public ulong ReadUnsigned(ReadOnlySpan<byte> payload)
        {
            var slice = payload[..end];
            if (!Varint.TryRead(slice, ref _position, out var value))
            {
                throw new BatchFormatException($"column {column}: truncated or overlong varint");
            }
            return value;
        }

        public long ReadSigned(ReadOnlySpan<byte> payload) => Varint.UnZigZag(ReadUnsigned(payload));

        public byte ReadByte(ReadOnlySpan<byte> payload) => Read(payload, 1)[0];

        public ReadOnlySpan<byte> Read(ReadOnlySpan<byte> payload, int length)
        {
            if (Remaining < length)
            {
                throw new BatchFormatException($"column {column} ends early");
            }
            var bytes = payload.Slice(_position, length);
            _position += length;
            return bytes;
        }
    }

    private sealed class DeltaState(int tableSize)
    {
        private readonly Address[] _accounts = new Address[tableSize];
        private readonly ulong[] _nonces = new ulong[tableSize];
        private readonly HashSet<Address> _seen = [];
        private readonly Dictionary<uint, ulong> _prices = [];
        private readonly Dictionary<uint, ulong> _oracleTimes = [];
        private int _known;

        public ulong NextDepositIndex { get; set; }

        /// <summary>The table lists accounts in first-use order, so a reference is to a known one or the next.</summary>
        public Address Account(ulong index, ReadOnlySpan<byte> payload, ColumnCursor table)
        {
            if (index < (ulong)_known)
            {
                return _accounts[index];
            }
            if (index != (ulong)_known || _known == _accounts.Length)
            {
                throw new BatchFormatException($"account reference {index} is not a known account or the next in the table");
            }
            var account = new Address(table.Read(payload, Address.Length));
            if (!_seen.Add(account))
            {
                throw new BatchFormatException($"account {account} appears twice in the table");
            }
            _accounts[_known++] = account;
            return account;
        }

        public ulong AddNonce(int account, long delta) => _nonces[account] = unchecked(_nonces[account] + (ulong)delta);

        public ulong AddPrice(uint market, long delta) => Add(_prices, market, delta);

        public ulong AddOracleTime(uint market, long delta) => Add(_oracleTimes, market, delta);

        private static ulong Add(Dictionary<uint, ulong> last, uint market, long delta)
        {
            last.TryGetValue(market, out var previous);
            var value = unchecked(previous + (ulong)delta);
            last[market] = value;
            return value;
        }
    }
}
