using System.Buffers.Binary;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.State;

/// <summary>
/// How state maps onto trees (docs/state.md): an accounts tree, one tree per market, and a tree of market
/// roots; the state root is keccak256(accountsRoot ‖ marketsRoot). Leaf keys and tree ids are defined here.
/// </summary>
public static class StateTrees
{
    private const byte AccountsTree = 0;
    private const byte MarketRootsTree = 1;
    private const byte MarketTree = 2;

    private const byte MarketRecordLeaf = 0;
    private const byte PositionLeaf = 1;
    private const byte OrderLeaf = 2;

    public static byte[] AccountsTreeId() => [AccountsTree, 0, 0, 0, 0];

    public static byte[] MarketRootsTreeId() => [MarketRootsTree, 0, 0, 0, 0];

    public static byte[] MarketTreeId(uint market)
    {
        var id = new byte[RocksMerkleNodeStore.TreeIdLength];
        id[0] = MarketTree;
        BinaryPrimitives.WriteUInt32BigEndian(id.AsSpan(1), market);
        return id;
    }

    /// <summary>Accounts tree: keccak256(address).</summary>
    public static Hash256 AccountKey(in Address account) => Keccak256.Compute(account.Bytes);

    /// <summary>Market roots tree: keccak256(market id as 4 bytes BE); the leaf's value hash is the market's root itself.</summary>
    public static Hash256 MarketRootKey(uint market)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, market);
        return Keccak256.Compute(bytes);
    }

    /// <summary>A market's tree: keccak256(0x00) for its record.</summary>
    public static Hash256 MarketRecordKey() => Keccak256.Compute([MarketRecordLeaf]);

    /// <summary>A market's tree: keccak256(0x01 ‖ address) for a position.</summary>
    public static Hash256 PositionKey(in Address account)
    {
        Span<byte> bytes = stackalloc byte[1 + Address.Length];
        bytes[0] = PositionLeaf;
        account.CopyTo(bytes[1..]);
        return Keccak256.Compute(bytes);
    }

    /// <summary>A market's tree: keccak256(0x02 ‖ order id as 8 bytes BE) for a resting order.</summary>
    public static Hash256 OrderKey(ulong orderId)
    {
        Span<byte> bytes = stackalloc byte[9];
        bytes[0] = OrderLeaf;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[1..], orderId);
        return Keccak256.Compute(bytes);
    }

    public static Hash256 StateRoot(in Hash256 accountsRoot, in Hash256 marketsRoot)
    {
        Span<byte> bytes = stackalloc byte[2 * Hash256.Length];
        accountsRoot.CopyTo(bytes);
        marketsRoot.CopyTo(bytes[Hash256.Length..]);
        return Keccak256.Compute(bytes);
    }
}
