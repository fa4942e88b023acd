using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>
/// A withdrawal that draws on held credits names them (docs/state.md, "Withdrawals root"): in its receipt, its
/// withdrawal and its leaf, and the stored block record keeps them across a restart.
/// </summary>
public class HeldWithdrawalTests
{
    private static readonly Address Alice = EngineFixture.AddressOf(1);
    private static readonly Address Bob = EngineFixture.AddressOf(2);
    private const long Price = 60_000_000_000;

    /// <summary>Alice holds 100 for market 1 and 200 for market 2 from block 3, with 400 unheld (700 free).</summary>
    private static EngineFixture Holding()
    {
        var f = new EngineFixture();
        f.CreateMarket(1).CreateMarket(2, EngineFixture.DefaultParams("ETH-PERP")).Deposit(Alice, 1_000).Deposit(Bob, 100).Block();
        f.OraclePrice(1, Price).OraclePrice(2, Price).MarginIn(Alice, 1, 300).MarginIn(Alice, 2, 300).Block();
        var moved = f.MarginOut(Alice, 2, 200).MarginOut(Alice, 1, 100).Block();
        Assert.Equal(3UL, moved.Number);
        Assert.All(moved.Receipts, r => Assert.Equal(TxStatus.Accepted, r.Status));
        return f;
    }

    [Fact]
    public void Withdraw_PastTheUnheld_NamesTheHeldCreditsItDrewOnInMarketOrder()
    {
        using var f = Holding();
        var result = f.Withdraw(Alice, 600).Withdraw(Alice, 50).Withdraw(Bob, 100).Block();

        Assert.All(result.Receipts, r => Assert.Equal(TxStatus.Accepted, r.Status));
        // 600: 400 unheld, then market 1's 100, then 100 of market 2's; 50: only market 2's is left; Bob holds nothing.
        Assert.Equal(new ValueArray<HeldDraw>([new(1, 3), new(2, 3)]), result.Receipts[0].Drawn);
        Assert.Equal(new ValueArray<HeldDraw>([new(2, 3)]), result.Receipts[1].Drawn);
        Assert.Null(result.Receipts[2].Drawn);
        Assert.Equal(result.Receipts.Select(r => r.Drawn), result.Withdrawals.Select(w => w.Drawn));
    }

    [Fact]
    public void WithdrawalLeaf_OfADrawingWithdrawal_IsAccountAmountThenEachMarketAndBlock()
    {
        using var f = Holding();
        var withdrawal = f.Withdraw(Alice, 600).Block().Withdrawals[0];

        var expected = new byte[20 + 8 + 1 + (2 * 12)];
        Alice.CopyTo(expected);
        BinaryPrimitives.WriteInt64BigEndian(expected.AsSpan(20), 600);
        expected[28] = 2;
        BinaryPrimitives.WriteUInt32BigEndian(expected.AsSpan(29), 1);
        BinaryPrimitives.WriteUInt64BigEndian(expected.AsSpan(33), 3);
        BinaryPrimitives.WriteUInt32BigEndian(expected.AsSpan(41), 2);
        BinaryPrimitives.WriteUInt64BigEndian(expected.AsSpan(45), 3);
        Assert.Equal(expected, WithdrawalLeaf.Record(withdrawal.Account, withdrawal.Amount, withdrawal.Drawn));

        var plain = new byte[28];
        Bob.CopyTo(plain);
        BinaryPrimitives.WriteInt64BigEndian(plain.AsSpan(20), 7);
        Assert.Equal(plain, WithdrawalLeaf.Record(Bob, 7, null));
    }

    [Fact]
    public void StoredBlock_AfterARestart_KeepsTheDrawsAndGivesTheSameWithdrawalsRoot()
    {
        using var f = Holding();
        var result = f.Withdraw(Alice, 600).Withdraw(Bob, 100).Withdraw(Alice, 50).Block();
        f.Reopen();

        var record = f.Engine.GetBlock(result.Number)!;
        Assert.Equal(result.Receipts, record.Receipts);
        // BlockWithdrawals checks the rebuilt leaves against the stored withdrawals root.
        Assert.Equal(result.Withdrawals, BlockWithdrawals.Of([record]));
        Assert.Equal(result.WithdrawalsRoot, record.WithdrawalsRoot);
        // A block with no drawing withdrawal is stored as before: its receipts carry none.
        Assert.All(f.Engine.GetBlock(result.Number - 1)!.Receipts, r => Assert.Null(r.Drawn));
    }
}
