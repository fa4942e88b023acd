using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.State;
using Rollup.Execution.State.Ordered;
using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>A position a step read: its account, its decoded leaf as the step changes it, and what it was when read.</summary>
internal sealed class PositionAt(Address account, Hash256 key, PositionLeaf leaf, OrderedStepLeaf read, OrderedNode rootAtRead)
{
    public Address Account { get; } = account;

    public Hash256 Key { get; } = key;

    public PositionLeaf Leaf { get; } = leaf;

    /// <summary>Whether the tree held a leaf for the account when it was read.</summary>
    public bool Existed => Read.IsPresent;

    public OrderedStepLeaf Read { get; set; } = read;

    public OrderedNode RootAtRead { get; set; } = rootAtRead;

    /// <summary>Written once already: a later write proves the key afresh (the root it was read at says nothing now).</summary>
    public bool Written { get; set; }

    /// <summary>The risk leaf the position had when read (side and key), if any.</summary>
    public (bool IsLong, RiskKey Key)? RiskAtRead { get; set; }
}

/// <summary>A resting order a step read from the book: decoded from its leaf.</summary>
internal sealed record BookEntry(bool IsBuy, long Price, ulong OrderId, Address Account, bool ReduceOnly, long Size);

/// <summary>
/// One market step at work: the state as it changes, the decoded record, and the primitives every step kind is made
/// of (docs/steps.md, "Its steps"): reading and writing positions with their risk leaves, reading the best order,
/// resting and removing orders with the level counts, margin replies and receipts. Each read goes to the leaf source
/// against the tree's current root, and each write computes the new root from a proof of the same key against it.
/// </summary>
internal sealed class MarketStepRun
{
    private MarketRecord? _record;
    private bool _recordChanged;

    public MarketStepRun(MarketState pre, MarketStepContext context, IMarketLeafSource leaves)
    {
        State = pre;
        Context = context;
        Leaves = leaves;
        _record = pre.Record.Length == 0 ? null : MarketRecord.Decode(pre.Record);
    }

    public MarketState State { get; set; }

    public MarketStepContext Context { get; }

    public IMarketLeafSource Leaves { get; }

    public MarketStepOutcome Outcome { get; set; }

    public bool MarketExists => _record is not null;

    public MarketRecord Record
    {
        get => _record ?? throw new StepProofException($"market {State.Market} does not exist");
        set
        {
            _record = value;
            _recordChanged = true;
        }
    }

    /// <summary>The market's record fields (a shorthand for <see cref="Record"/>'s snapshot).</summary>
    public MarketSnapshot Market
    {
        get => Record.Snapshot;
        set => Record = Record with { Snapshot = value };
    }

    public bool IsCancelOnly => Market.HaltReason != HaltReason.None;

    public MarketState Finish() => _recordChanged ? State with { Record = _record!.Encode() } : State;

    // ---- positions ----

    public PositionAt ReadPosition(in Address account)
    {
        var key = MarketLeaves.PositionKey(account);
        var read = Leaves.Read(MarketTree.Positions, State.Positions, key);
        var leaf = PositionLeaf.Decode(read.Record);
        if (read.IsPresent && leaf.IsEmpty)
        {
            throw new StepProofException("a position leaf holds nothing");
        }
        return new PositionAt(account, key, leaf, read, State.Positions) { RiskAtRead = RiskOf(account, leaf) };
    }

    /// <summary>Writes the position back (deleting its leaf once it holds nothing) and moves its risk leaf if its key changed.</summary>
    public void WritePosition(PositionAt position)
    {
        var read = position.Read;
        if (position.Written || State.Positions != position.RootAtRead)
        {
            read = Leaves.Read(MarketTree.Positions, State.Positions, position.Key);
            if (!read.Record.AsSpan().SequenceEqual(position.Read.Record))
            {
                throw new StepProofException("a position changed under the step that holds it");
            }
        }
        var record = position.Leaf.IsEmpty ? null : position.Leaf.Encode();
        if (record is not null || read.IsPresent)
        {
            var root = Leaves.Write(MarketTree.Positions, read, position.Key, record, 0);
            State = State with { Positions = root };
        }
        var risk = RiskOf(position.Account, position.Leaf);
        if (risk != position.RiskAtRead)
        {
            if (position.RiskAtRead is { } old)
            {
                DeleteRisk(old.IsLong, old.Key);
            }
            if (risk is { } now)
            {
                InsertRisk(now.IsLong, now.Key, (ulong)Math.Abs(position.Leaf.Size));
            }
        }
        // Written: a later write of the same position proves it afresh.
        position.Read = new OrderedStepLeaf(position.Key, record ?? [], read.Proof);
        position.Written = true;
        position.RiskAtRead = risk;
    }

    /// <summary>Books the funding a position owes since it last settled into its collateral and the market's pool.</summary>
    public void SettleFunding(PositionLeaf position)
    {
        var index = Market.FundingIndex;
        if (position.SettledFundingIndex == index)
        {
            return;
        }
        var owed = FundingMath.Owed(position.Size, index, position.SettledFundingIndex);
        position.SettledFundingIndex = index;
        if (owed == 0)
        {
            return;
        }
        position.Collateral -= owed;
        Market = Market with { FundingPool = Market.FundingPool + owed };
    }

    /// <summary>Equity at <paramref name="price"/> with funding owed counted as if settled.</summary>
    public long EquityAt(PositionLeaf position, long price) =>
        position.Collateral - FundingMath.Owed(position.Size, Market.FundingIndex, position.SettledFundingIndex)
        + MarginMath.Notional(price, position.Size, Market.Params.SizeScale);

    /// <summary>Initial margin of the position, its resting orders and <paramref name="extraOrderValue"/> (price·size of an order being placed).</summary>
    public long InitialRequirement(PositionLeaf position, long mark, Int128 extraOrderValue)
    {
        var exposure = ((Int128)mark * Math.Abs(position.Size)) + position.OpenOrderValue + extraOrderValue;
        return MarginMath.FractionUp(exposure / Market.Params.SizeScale, Market.Params.InitialMarginPpm);
    }

    private static (bool IsLong, RiskKey Key)? RiskOf(in Address account, PositionLeaf leaf) =>
        account == Address.Zero || leaf.Size == 0 ? null : (leaf.Size > 0, RiskKey.Of(leaf.Size, leaf.Collateral, leaf.SettledFundingIndex, account));

    private void DeleteRisk(bool isLong, in RiskKey risk)
    {
        var tree = isLong ? MarketTree.Longs : MarketTree.Shorts;
        var key = MarketLeaves.RiskLeafKey(risk);
        var leaf = Leaves.Read(tree, RootOf(tree), key);
        if (!leaf.IsPresent)
        {
            throw new StepProofException("a position's risk leaf is missing");
        }
        SetRoot(tree, Leaves.Write(tree, leaf, key, null, 0));
    }

    private void InsertRisk(bool isLong, in RiskKey risk, ulong size)
    {
        var tree = isLong ? MarketTree.Longs : MarketTree.Shorts;
        var key = MarketLeaves.RiskLeafKey(risk);
        var leaf = Leaves.Read(tree, RootOf(tree), key);
        if (leaf.IsPresent)
        {
            throw new StepProofException("a risk leaf is taken already");
        }
        SetRoot(tree, Leaves.Write(tree, leaf, key, [], size));
    }

    // ---- the book ----

    /// <summary>The best resting order of a side: the leftmost leaf of its tree.</summary>
    public BookEntry? Best(bool bids)
    {
        var tree = bids ? MarketTree.Bids : MarketTree.Asks;
        var leaf = Leaves.ReadEdge(tree, RootOf(tree), first: true);
        return leaf is null ? null : DecodeBook(bids, leaf);
    }

    /// <summary>The best prices of both sides, for the mark.</summary>
    public (long? Bid, long? Ask) BestPrices() => (Best(bids: true)?.Price, Best(bids: false)?.Price);

    /// <summary>How many orders rest at <paramref name="price"/> on a side: two boundary paths, before price ‖ 0 and before price ‖ 2^64−1.</summary>
    public uint OrdersAtPrice(bool bids, long price)
    {
        var tree = bids ? MarketTree.Bids : MarketTree.Asks;
        var low = MarketLeaves.BookKey(bids, price, 0);
        var high = MarketLeaves.BookKey(bids, price, ulong.MaxValue);
        var below = Leaves.Read(tree, RootOf(tree), low);
        var through = Leaves.Read(tree, RootOf(tree), high);
        return Guard(() => through.Proof.PrefixCountAndSize(high).Count - below.Proof.PrefixCountAndSize(low).Count);
    }

    /// <summary>The size resting on a side at prices a taker at <paramref name="limit"/> would trade with: one boundary path.</summary>
    public ulong SizeCrossing(bool takerIsBuy, long limit)
    {
        var tree = takerIsBuy ? MarketTree.Asks : MarketTree.Bids;
        var boundary = MarketLeaves.BookKey(!takerIsBuy, limit, ulong.MaxValue);
        var leaf = Leaves.Read(tree, RootOf(tree), boundary);
        return Guard(() => leaf.Proof.PrefixCountAndSize(boundary).Size);
    }

    public void InsertOrder(bool isBuy, long price, ulong orderId, in Address owner, bool reduceOnly, long size)
    {
        var atPrice = OrdersAtPrice(isBuy, price);
        var tree = isBuy ? MarketTree.Bids : MarketTree.Asks;
        var key = MarketLeaves.BookKey(isBuy, price, orderId);
        var leaf = Leaves.Read(tree, RootOf(tree), key);
        if (leaf.IsPresent)
        {
            throw new StepProofException($"order {orderId} rests already");
        }
        var record = MarketLeaves.BookRecord(owner, reduceOnly);
        SetRoot(tree, Leaves.Write(tree, leaf, key, record, (ulong)size));
        if (atPrice == 0)
        {
            Record = Record.WithLevels(isBuy, Record.Levels(isBuy) + 1);
        }
    }

    /// <summary>Takes an order out of the book, and its price level with it if it was the level's last order.</summary>
    public void RemoveOrder(bool isBuy, long price, ulong orderId, in Address owner, bool reduceOnly)
    {
        var atPrice = OrdersAtPrice(isBuy, price);
        var tree = isBuy ? MarketTree.Bids : MarketTree.Asks;
        var key = MarketLeaves.BookKey(isBuy, price, orderId);
        var leaf = Leaves.Read(tree, RootOf(tree), key);
        if (!leaf.IsPresent || !leaf.Record.AsSpan().SequenceEqual(MarketLeaves.BookRecord(owner, reduceOnly)))
        {
            throw new StepProofException($"order {orderId} of {owner} is not in the book");
        }
        SetRoot(tree, Leaves.Write(tree, leaf, key, null, 0));
        if (atPrice == 1)
        {
            Record = Record.WithLevels(isBuy, Record.Levels(isBuy) - 1);
        }
    }

    /// <summary>An order that stays in the book with less size (a partial fill).</summary>
    public void ReduceOrder(BookEntry order, long size)
    {
        var tree = order.IsBuy ? MarketTree.Bids : MarketTree.Asks;
        var key = MarketLeaves.BookKey(order.IsBuy, order.Price, order.OrderId);
        var leaf = Leaves.Read(tree, RootOf(tree), key);
        if (!leaf.IsPresent)
        {
            throw new StepProofException($"order {order.OrderId} is not in the book");
        }
        SetRoot(tree, Leaves.Write(tree, leaf, key, leaf.Record, (ulong)size));
    }

    /// <summary>Both sides' resting orders together.</summary>
    public ulong BookOrderCount => (ulong)State.Bids.Count + State.Asks.Count;

    private static BookEntry DecodeBook(bool bids, OrderedStepLeaf leaf)
    {
        var key = leaf.Key.Bytes;
        if (leaf.Record.Length != Address.Length + 1 || leaf.Record[Address.Length] > 1 || !key[16..].SequenceEqual(new byte[16]))
        {
            throw new StepProofException("a book leaf is not an order");
        }
        var size = leaf.Size;
        if (size == 0 || size > long.MaxValue)
        {
            throw new StepProofException("a book leaf's size is not an order's");
        }
        return new BookEntry(bids, MarketLeaves.BookPrice(bids, leaf.Key), BinaryPrimitives.ReadUInt64BigEndian(key[8..]),
            new Address(leaf.Record.AsSpan(0, Address.Length)), leaf.Record[Address.Length] == 1, (long)size);
    }

    // ---- outbox and receipts ----

    /// <summary>A margin reply to the accounts domain for the block's transaction <paramref name="txIndex"/>.</summary>
    public void Reply(uint txIndex, in Address account, long amount)
    {
        var key = StepKeys.BlockTx(State.Block, txIndex);
        var leaf = Leaves.ReadInput(StepTree.MarketOutbox, State.Outbox, key);
        if (leaf.IsPresent)
        {
            throw new StepProofException($"transaction {txIndex} has a reply already");
        }
        var record = StepKeys.AccountAmount(account, amount);
        var root = leaf.RootAfterWrite(key, record);
        Leaves.WroteOutbox(key, record, root);
        State = State with { Outbox = root };
    }

    /// <summary>Folds a receipt: a transaction's, or with <paramref name="item"/> a bulk's item's (folded as the bulk's sequence).</summary>
    public void Decide(MarketStepKind kind, ulong sequence, TxStatus status, int? item = null)
    {
        State = State with { Receipts = AccountsStepFunction.FoldReceipt(State.Receipts, sequence, status) };
        Outcome = new MarketStepOutcome(kind, sequence, status, item);
    }

    // ---- roots ----

    public OrderedNode RootOf(MarketTree tree) => tree switch
    {
        MarketTree.Positions => State.Positions,
        MarketTree.Bids => State.Bids,
        MarketTree.Asks => State.Asks,
        MarketTree.Longs => State.Longs,
        _ => State.Shorts,
    };

    private void SetRoot(MarketTree tree, in OrderedNode root) => State = tree switch
    {
        MarketTree.Positions => State with { Positions = root },
        MarketTree.Bids => State with { Bids = root },
        MarketTree.Asks => State with { Asks = root },
        MarketTree.Longs => State with { Longs = root },
        _ => State with { Shorts = root },
    };

    private static T Guard<T>(Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (InvalidOrderedProofException error)
        {
            throw new StepProofException($"a proof of the market's trees is malformed: {error.Message}");
        }
        catch (OverflowException error)
        {
            throw new StepProofException($"a tree's count or size would overflow: {error.Message}");
        }
    }
}
