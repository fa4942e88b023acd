using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>
/// The engine benchmark's flow (<see cref="TradingFlowGenerator"/>) is what it claims to be: a venue's flow that an
/// engine other than the generator's own shadow accepts almost entirely, while it trades, cancels, moves margin and
/// prices, and whose few rejections are the races the generator documents.
/// </summary>
public class TradingFlowTests
{
    private const int Blocks = 14;
    private const int Transactions = 2_000;

    [Fact]
    public void TradingFlow_OnAFreshEngine_IsAlmostAllAcceptedAndDoesEverything()
    {
        var (blocks, results) = Run(seed: 5);
        var trading = Enumerable.Range(0, blocks.Count).Skip(2).ToList();
        var receipts = trading.SelectMany(i => results[i].Receipts.Select(r => (Tx: blocks[i].Transactions[r.TxIndex], Receipt: r))).ToList();

        Assert.All(trading, i => Assert.Equal(Transactions, blocks[i].Transactions.Length));
        var accepted = receipts.Count(p => p.Receipt.IsAccepted) / (double)receipts.Count;
        Assert.True(accepted >= 0.95, $"accepted {accepted:P1}");

        // Only the races a venue sees are refused: nothing stale, out of band, paused, or sent without margin.
        TxStatus[] expected = [TxStatus.PostOnlyWouldCross, TxStatus.OrderNotFound, TxStatus.FokNotFillable, TxStatus.InsufficientMargin, TxStatus.ReduceOnlyWouldIncrease];
        Assert.All(receipts.Where(p => !p.Receipt.IsAccepted), p => Assert.Contains(p.Receipt.Status, expected));

        // Every kind the flow sends is mostly accepted, and it trades.
        foreach (var kind in new[] { TxKind.PlaceOrder, TxKind.CancelOrderByClientId, TxKind.OracleUpdate, TxKind.TransferMargin, TxKind.Withdraw, TxKind.Deposit })
        {
            var ofKind = receipts.Where(p => p.Tx.Kind == kind).ToList();
            Assert.True(ofKind.Count > 0, $"no {kind}");
            Assert.True(ofKind.Count(p => p.Receipt.IsAccepted) >= 0.9 * ofKind.Count, $"{kind}: {ofKind.Count(p => p.Receipt.IsAccepted)} of {ofKind.Count} accepted");
        }
        Assert.Contains(receipts, p => p.Tx.Kind == TxKind.TransferMargin && !p.Tx.ToMarket && p.Receipt.IsAccepted);
        Assert.True(results.Sum(r => r.Events.Count(e => e.Kind == EventKind.Fill)) > Blocks * 50);
        Assert.Contains(results.SelectMany(r => r.Events), e => e.Kind == EventKind.Funding);
        Assert.Contains(receipts, p => p.Receipt.Status == TxStatus.InsufficientMargin);
        Assert.Empty(results.SelectMany(r => r.FaultedMarkets));
    }

    [Fact]
    public void TradingFlow_SameSeed_SameBlocks()
    {
        static List<Block> Generate(int seed)
        {
            using var generator = new TradingFlowGenerator(seed, markets: 4, accounts: 120);
            return [.. Enumerable.Range(0, 6).Select(_ => generator.Next(Transactions))];
        }
        var first = Generate(9);
        var second = Generate(9);
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Timestamp, second[i].Timestamp);
            Assert.Equal(WithoutParams(first[i]), WithoutParams(second[i]));
        }
        Assert.NotEqual(WithoutParams(first[^1]), WithoutParams(Generate(10)[^1]));
    }

    // MarketParams is a record holding an array, equal only to itself.
    private static Transaction[] WithoutParams(Block block) => [.. block.Transactions.Select(tx => tx with { Params = null })];

    private static (List<Block> Blocks, List<BlockResult> Results) Run(int seed)
    {
        using var generator = new TradingFlowGenerator(seed, markets: 4, accounts: 120);
        using var directory = new TempDirectory("rollup-trading-flow-test");
        using var engine = ExecutionEngine.Open(directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false });
        var blocks = new List<Block>();
        var results = new List<BlockResult>();
        for (var i = 0; i < Blocks; i++)
        {
            blocks.Add(generator.Next(Transactions));
            results.Add(engine.Execute(blocks[^1]));
            Assert.Equal(engine.Head.TotalDeposits - engine.Head.TotalWithdrawals, engine.TotalCollateral());
        }
        return (blocks, results);
    }
}
