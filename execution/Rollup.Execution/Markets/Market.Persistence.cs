using Rollup.Execution.Matching;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Storage;

namespace Rollup.Execution.Markets;

/// <summary>A position as a commit left it: what its record holds (none when size and collateral are 0) and its open-order count.</summary>
internal readonly record struct CommittedPosition(Address Account, long Size, long Collateral, long SettledFundingIndex, int OpenOrders)
{
    public bool IsStored => Size != 0 || Collateral != 0;
}

public sealed partial class Market
{
    /// <summary>The positions the last commit wrote, with their open-order counts (every change of a count marks its position dirty), for the committed view.</summary>
    internal List<CommittedPosition> CommittedPositions { get; } = [];

    /// <summary>Every position, for a committed view built from scratch.</summary>
    internal IEnumerable<CommittedPosition> AllPositions()
    {
        foreach (var (account, state) in _positions)
        {
            yield return new CommittedPosition(account, state.Size, state.Collateral, state.SettledFundingIndex, state.OpenOrders);
        }
    }

    internal MarketSnapshot Snapshot() => new(HaltReason, OraclePrice, OracleTimestamp, MarkPrice, FeePool, NetTransfersIn,
        LastFundingBlock, HaltWindowStartBlock, HaltWindowStartMark, Params, FundingIndex, FundingPool);

    /// <summary>
    /// Turns everything changed since the last commit into table writes and tree updates, applies the updates
    /// to this market's tree and returns its new root. Deterministic: positions in address order, orders in id order.
    /// </summary>
    internal Hash256 PrepareCommit(PendingWrites writes, SparseMerkleTree tree)
    {
        var updates = new List<MerkleUpdate>(_dirtyPositions.Count + _dirtyOrders.Count + 1);
        Span<byte> key = stackalloc byte[StateKeys.OrderKeyLength + Address.Length];
        if (RecordDirty)
        {
            var record = StateRecords.EncodeMarket(Snapshot());
            StateKeys.Market(Id, key);
            writes.Put(StateColumn.Markets, key[..StateKeys.MarketKeyLength], record);
            updates.Add(new MerkleUpdate(StateTrees.MarketRecordKey(), Keccak256.Compute(record)));
        }

        var accounts = new Address[_dirtyPositions.Count];
        _dirtyPositions.CopyTo(accounts);
        Array.Sort(accounts);
        CommittedPositions.Clear();
        Span<byte> position = stackalloc byte[StateRecords.PositionLength];
        foreach (var account in accounts)
        {
            StateKeys.Position(Id, account, key);
            var state = _positions[account];
            CommittedPositions.Add(new CommittedPosition(account, state.Size, state.Collateral, state.SettledFundingIndex, state.OpenOrders));
            if (state.Size == 0 && state.Collateral == 0)
            {
                writes.Delete(StateColumn.Positions, key[..StateKeys.PositionKeyLength]);
                updates.Add(MerkleUpdate.Remove(StateTrees.PositionKey(account)));
                continue;
            }
            var length = StateRecords.EncodePosition(state.Size, state.Collateral, state.SettledFundingIndex, position);
            writes.Put(StateColumn.Positions, key[..StateKeys.PositionKeyLength], position[..length]);
            updates.Add(new MerkleUpdate(StateTrees.PositionKey(account), Keccak256.Compute(position[..length])));
        }

        var orderIds = new ulong[_dirtyOrders.Count];
        _dirtyOrders.Keys.CopyTo(orderIds, 0);
        Array.Sort(orderIds);
        Span<byte> order = stackalloc byte[StateRecords.OrderLength];
        foreach (var orderId in orderIds)
        {
            StateKeys.Order(Id, orderId, key);
            if (!Book.TryGet(orderId, out var resting))
            {
                writes.Delete(StateColumn.Orders, key[..StateKeys.OrderKeyLength]);
                updates.Add(MerkleUpdate.Remove(StateTrees.OrderKey(orderId)));
                continue;
            }
            var info = _orders[orderId];
            StateRecords.EncodeOrder(_positionsByIndex[(int)resting.Account].Account, resting.IsBuy, resting.Price, resting.Size, info.ClientOrderId, info.ReduceOnly, order);
            writes.Put(StateColumn.Orders, key[..StateKeys.OrderKeyLength], order);
            updates.Add(new MerkleUpdate(StateTrees.OrderKey(orderId), Keccak256.Compute(order)));
        }
        ClearDirty();
        return tree.Update(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(updates));
    }

    /// <summary>
    /// Rebuilds a market from the tables: its record, then positions in address order, then orders by id. Every
    /// record read is also added to <paramref name="leaves"/> as its leaf in the market's tree, as
    /// <see cref="PrepareCommit"/> puts it there, so the tree can be rebuilt from the same pass.
    /// </summary>
    internal static Market Load(RocksDb<StateColumn> db, uint id, ReadOnlySpan<byte> record, List<MerkleUpdate> leaves)
    {
        leaves.Add(new MerkleUpdate(StateTrees.MarketRecordKey(), Keccak256.Compute(record)));
        var snapshot = StateRecords.DecodeMarket(record);
        var market = new Market(id, snapshot.Params)
        {
            HaltReason = snapshot.HaltReason,
            OraclePrice = snapshot.OraclePrice,
            OracleTimestamp = snapshot.OracleTimestamp,
            MarkPrice = snapshot.MarkPrice,
            FeePool = snapshot.FeePool,
            NetTransfersIn = snapshot.NetTransfersIn,
            LastFundingBlock = snapshot.LastFundingBlock,
            HaltWindowStartBlock = snapshot.HaltWindowStartBlock,
            HaltWindowStartMark = snapshot.HaltWindowStartMark,
            FundingIndex = snapshot.FundingIndex,
            FundingPool = snapshot.FundingPool,
        };
        Span<byte> prefix = stackalloc byte[StateKeys.MarketKeyLength];
        StateKeys.Market(id, prefix);
        using (var positions = db.CreatePrefixIterator(StateColumn.Positions, prefix))
        {
            for (var valid = positions.SeekToFirst(); valid; valid = positions.Next())
            {
                var (size, collateral, settledIndex) = StateRecords.DecodePosition(positions.Value);
                var account = new Address(positions.Key[StateKeys.MarketKeyLength..]);
                leaves.Add(new MerkleUpdate(StateTrees.PositionKey(account), Keccak256.Compute(positions.Value)));
                var state = market.GetOrCreatePosition(account);
                state.Size = size;
                state.Collateral = collateral;
                state.SettledFundingIndex = settledIndex;
                market.PlaceInRiskOrder(state);
            }
        }
        using (var orders = db.CreatePrefixIterator(StateColumn.Orders, prefix))
        {
            for (var valid = orders.SeekToFirst(); valid; valid = orders.Next())
            {
                var orderId = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(orders.Key[StateKeys.MarketKeyLength..]);
                var (account, isBuy, price, size, clientOrderId, reduceOnly) = StateRecords.DecodeOrder(orders.Value);
                leaves.Add(new MerkleUpdate(StateTrees.OrderKey(orderId), Keccak256.Compute(orders.Value)));
                var owner = market.GetOrCreatePosition(account);
                var status = market.Book.Restore(new RestingOrder(orderId, owner.Index, isBuy, price, size));
                if (status != PlaceStatus.Rested)
                {
                    throw new InvalidDataException($"market {id}: stored order {orderId} cannot be restored ({status})");
                }
                AddOpenOrder(owner, isBuy, price, size);
                market._orders.Add(orderId, new OrderInfo(owner.Index, clientOrderId, reduceOnly));
                if (clientOrderId != 0)
                {
                    market._clientOrderIds.Add((owner.Index, clientOrderId), orderId);
                }
            }
        }
        return market;
    }
}
