using Rollup.Execution.Blocks;
using Rollup.Execution.Blocks.Views;
using Rollup.Execution.Matching;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>
/// The committed view reads the stored records of the last committed block, the engine's queries read its memory: two
/// paths to the same state. After every block of a trading flow they agree; a view held across blocks still shows its
/// own; and readers beside the writer only ever see whole committed blocks.
/// </summary>
public sealed class CommittedViewTests : IDisposable
{
    private const int Transactions = 600;

    private readonly TradingFlowGenerator _flow = new(seed: 21, markets: 3, accounts: 100);
    private readonly TempDirectory _directory = new("rollup-committed-view");
    private readonly ExecutionEngine _engine;
    private readonly HashSet<Address> _accounts = [];

    public CommittedViewTests()
    {
        _engine = ExecutionEngine.Open(_directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false });
    }

    public void Dispose()
    {
        _engine.Dispose();
        _flow.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void View_AfterEveryBlock_AgreesWithTheEnginesMemory()
    {
        for (var block = 0; block < 8; block++)
        {
            Execute();
            var view = _engine.AcquireView()!;
            try
            {
                Assert.Equal(_engine.Head, view.Head);
                Assert.Equal(_engine.NextSequence, view.NextSequence);
                Assert.Equal(_engine.AccountsRoot, view.AccountsRoot);
                Assert.Equal(_engine.MarketsRoot, view.MarketsRoot);
                foreach (var account in _accounts)
                {
                    Assert.Equal(_engine.TryGetFreeBalance(account, out var free), view.TryGetAccount(account, out var seen));
                    _engine.TryGetNonceWindow(account, out var nonces);
                    Assert.Equal((free, nonces), (seen.FreeBalance, seen.Nonces));
                }
                foreach (var market in _engine.Markets)
                {
                    AgreeOnMarket(view, market);
                }
                Assert.Equal(_engine.Markets.Count(), view.Markets.Count());
            }
            finally
            {
                ExecutionEngine.ReleaseView(view);
            }
        }
    }

    [Fact]
    public void View_HeldWhileLaterBlocksCommit_StillShowsItsOwnBlock()
    {
        for (var block = 0; block < 3; block++)
        {
            Execute();
        }
        var held = _engine.AcquireView()!;
        var head = _engine.Head;
        var balances = _accounts.ToDictionary(a => a, a => _engine.TryGetFreeBalance(a, out var free) ? free : -1);
        var market = _engine.Markets.First();
        var orders = market.Orders();
        var levels = Levels(market, BookSide.Bid, 20);

        for (var block = 0; block < 3; block++)
        {
            Execute();
        }
        Assert.NotEqual(head.BlockNumber, _engine.Head.BlockNumber);
        Assert.Contains(_accounts, a => _engine.TryGetFreeBalance(a, out var now) && now != balances[a]);

        Assert.Equal(head, held.Head);
        foreach (var (account, balance) in balances)
        {
            Assert.Equal(balance, held.TryGetAccount(account, out var seen) ? seen.FreeBalance : -1);
        }
        Assert.Equal(orders, held.Orders(market.Id));
        Assert.Equal(levels, held.Levels(market.Id, 20).Bids);
        ExecutionEngine.ReleaseView(held);

        var fresh = _engine.AcquireView()!;
        Assert.Equal(_engine.Head, fresh.Head);
        ExecutionEngine.ReleaseView(fresh);
    }

    /// <summary>
    /// A reader spins on views while the writer executes blocks; the writer notes, between blocks, what its memory holds
    /// for every account at each committed block. Every read must be exactly one committed block's.
    /// </summary>
    [Fact]
    public async Task Readers_BesideTheWriter_SeeOnlyWholeCommittedBlocks()
    {
        Execute();
        var watched = _accounts.Take(40).ToArray();
        var committed = new System.Collections.Concurrent.ConcurrentDictionary<ulong, long[]>();
        committed[_engine.Head.BlockNumber] = Balances(watched);
        var observations = new List<(ulong Block, long[] Balances, int Orders, int Resting)>();
        var lastBlock = _engine.Head.BlockNumber + 6;
        var firstMarket = _engine.Markets.First().Id;

        var reader = Task.Run(() =>
        {
            while (true)
            {
                var view = _engine.AcquireView()!;
                try
                {
                    var balances = watched.Select(a => view.TryGetAccount(a, out var seen) ? seen.FreeBalance : -1).ToArray();
                    view.TryGetMarket(firstMarket, out var market);
                    observations.Add((view.Head.BlockNumber, balances, view.Orders(firstMarket).Count, market.RestingOrderCount));
                    if (view.Head.BlockNumber == lastBlock)
                    {
                        return;
                    }
                }
                finally
                {
                    ExecutionEngine.ReleaseView(view);
                }
            }
        });
        while (_engine.Head.BlockNumber < lastBlock)
        {
            Execute();
            committed[_engine.Head.BlockNumber] = Balances(watched);
        }
        await reader.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEmpty(observations);
        foreach (var (block, balances, orders, resting) in observations)
        {
            Assert.True(committed.TryGetValue(block, out var expected), $"a read of block {block}, which was never committed");
            Assert.Equal(expected, balances);
            Assert.Equal(resting, orders);
        }
    }

    private void Execute()
    {
        var block = _flow.Next(Transactions);
        foreach (var tx in block.Transactions)
        {
            _accounts.Add(tx.Account);
        }
        _engine.Execute(block);
    }

    private long[] Balances(Address[] accounts) => accounts.Select(a => _engine.TryGetFreeBalance(a, out var free) ? free : -1).ToArray();

    private void AgreeOnMarket(CommittedView view, Execution.Markets.Market market)
    {
        Assert.True(view.TryGetMarket(market.Id, out var stored));
        Assert.Equal(
            (market.OraclePrice, market.MarkPrice, market.HaltReason, market.InsuranceFund, market.FeePool, market.FundingIndex, market.FundingPool, market.RestingOrderCount, market.PositionCount),
            (stored.OraclePrice, stored.MarkPrice, stored.HaltReason, stored.InsuranceFund, stored.FeePool, stored.FundingIndex, stored.FundingPool, stored.RestingOrderCount, stored.PositionCount));
        Assert.Equal(_engine.MarketRoot(market.Id), stored.Root);

        var orders = market.Orders();
        Assert.Equal(orders, view.Orders(market.Id));
        Assert.Equal(market.RestingOrderCount, orders.Count);
        var (bids, asks) = view.Levels(market.Id, 30);
        Assert.Equal(Levels(market, BookSide.Bid, 30), bids);
        Assert.Equal(Levels(market, BookSide.Ask, 30), asks);
        // Past the levels the view keeps, read from the orders' records.
        var (deepBids, deepAsks) = view.Levels(market.Id, 400);
        Assert.Equal(Levels(market, BookSide.Bid, 400), deepBids);
        Assert.Equal(Levels(market, BookSide.Ask, 400), deepAsks);
        foreach (var order in orders.Take(25))
        {
            Assert.True(view.TryGetOrder(market.Id, order.OrderId, out var byId));
            Assert.Equal(order, byId);
            Assert.Equal(market.TryGetOrderByClientId(order.Account, order.ClientOrderId, out var mine), view.TryGetOrderByClientId(market.Id, order.Account, order.ClientOrderId, out var theirs));
            Assert.Equal(mine, theirs);
        }
        foreach (var account in _accounts)
        {
            Assert.Equal(market.TryGetPosition(account, out var size, out var collateral), view.TryGetPosition(market.Id, account, out var position));
            if (size != 0 || collateral != 0)
            {
                Assert.Equal((size, collateral), (position.Size, position.Collateral));
                Assert.Equal(market.Equity(account), stored.EquityOf(position));
                Assert.Equal(market.OpenOrderCount(account), view.OpenOrderCount(market.Id, account));
                Assert.Equal(market.Orders(account), view.Orders(market.Id, account));
            }
        }
    }

    private static List<BookLevel> Levels(Execution.Markets.Market market, BookSide side, int depth)
    {
        var levels = new BookLevel[depth];
        var count = market.GetLevels(side, levels);
        return [.. levels.Take(count)];
    }
}
