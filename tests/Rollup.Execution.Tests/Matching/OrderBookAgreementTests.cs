using FsCheck;
using FsCheck.Fluent;
using Rollup.Execution.Matching;
using Xunit.Abstractions;

namespace Rollup.Execution.Tests.Matching;

/// <summary>
/// The fast book must do exactly what the reference book does: the same results and events for every
/// command of a long random flow, and the same resting orders at the end.
/// </summary>
public sealed class OrderBookAgreementTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomFlow_200kCommands_BothBooksAgreeOnEveryResultFillAndFinalBook()
    {
        var stats = RunBoth(new OrderFlowGenerator(seed: 2024).Generate(200_000), BookTesting.Roomy, compareBooksEvery: 10_000);

        output.WriteLine(stats.ToString());
        // The flow must reach every path, or agreement says little.
        foreach (var status in Enum.GetValues<PlaceStatus>())
        {
            if (status != PlaceStatus.RejectedBookFull)
            {
                Assert.True(stats.ByStatus[(int)status] > 0, $"no {status} in the flow");
            }
        }
        Assert.True(stats.SelfTradeCancels > 100, "too few self-trades");
        Assert.True(stats.Cancels > 10_000 && stats.MissedCancels > 1_000 && stats.Reduces > 100);
        Assert.True(stats.MaxOrders is > 500 and < 20_000, $"book size {stats.MaxOrders} is not a realistic working size");
    }

    [Fact]
    public void RandomFlow_InATightlyBoundedBook_BothBooksAgree_IncludingBookFullRejections()
    {
        var limits = new OrderBookLimits(maxOrders: 400, maxLevelsPerSide: 25);
        var stats = RunBoth(new OrderFlowGenerator(seed: 99, accounts: 50).Generate(60_000), limits, compareBooksEvery: 1_000);

        output.WriteLine(stats.ToString());
        Assert.True(stats.ByStatus[(int)PlaceStatus.RejectedBookFull] > 100);
        Assert.True(stats.MaxOrders <= 400);
    }

    [Fact]
    public void ShortRandomFlows_WithFewAccountsAndSmallBounds_BothBooksAgreeAndKeepInvariants()
    {
        var scenario =
            from seed in ArbMap.Default.GeneratorFor<ulong>()
            from accounts in Gen.Choose(9, 30)
            from maxOrders in Gen.Choose(1, 200)
            from maxLevels in Gen.Choose(1, 30)
            from count in Gen.Choose(1, 1_500)
            select (seed, accounts, maxOrders, maxLevels, count);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(Arb.From(scenario), s =>
        {
            var limits = new OrderBookLimits(s.maxOrders, s.maxLevels);
            var reference = new OrderLedger(new ReferenceOrderBook(limits));
            var fastBook = new FastOrderBook(limits);
            var fast = new OrderLedger(fastBook);
            foreach (var command in new OrderFlowGenerator(s.seed, s.accounts, targetLiveOrders: 50).Generate(s.count))
            {
                Assert.Equal(reference.Apply(command), fast.Apply(command));
            }
            BookTesting.AssertInvariants(fastBook);
            fast.AssertAllConserved();
        }));
    }

    private sealed class FlowStats
    {
        public int[] ByStatus { get; } = new int[Enum.GetValues<PlaceStatus>().Length];
        public long Fills { get; set; }
        public long SelfTradeCancels { get; set; }
        public int Cancels { get; set; }
        public int MissedCancels { get; set; }
        public int Reduces { get; set; }
        public int MaxOrders { get; set; }
        public int MaxLevels { get; set; }

        public override string ToString() =>
            string.Join(", ", Enum.GetValues<PlaceStatus>().Select(s => $"{s}={ByStatus[(int)s]}"))
            + $"; fills={Fills} selfTradeCancels={SelfTradeCancels} cancels={Cancels} missedCancels={MissedCancels}"
            + $" reduces={Reduces} maxOrders={MaxOrders} maxLevelsPerSide={MaxLevels}";
    }

    private static FlowStats RunBoth(OrderBookCommand[] commands, OrderBookLimits limits, int compareBooksEvery)
    {
        var reference = new ReferenceOrderBook(limits);
        var fast = new FastOrderBook(limits);
        var stats = new FlowStats();
        for (var i = 0; i < commands.Length; i++)
        {
            var expected = reference.Apply(commands[i]);
            var actual = fast.Apply(commands[i]);
            if (!expected.Equals(actual))
            {
                Assert.Fail($"command {i} {commands[i]}: reference {Describe(expected)} but fast {Describe(actual)}");
            }
            Count(stats, commands[i], expected, fast);
            if (i % compareBooksEvery == 0)
            {
                AssertSameBook(reference, fast);
            }
        }
        AssertSameBook(reference, fast);
        return stats;
    }

    private static void Count(FlowStats stats, in OrderBookCommand command, CommandOutcome outcome, FastOrderBook book)
    {
        switch (command.Kind)
        {
            case OrderBookCommandKind.Place:
                stats.ByStatus[(int)outcome.Result.Status]++;
                stats.Fills += outcome.Result.FillCount;
                stats.SelfTradeCancels += outcome.Result.SelfTradeCancelCount;
                break;
            case OrderBookCommandKind.Cancel:
                stats.Cancels++;
                stats.MissedCancels += outcome.Succeeded ? 0 : 1;
                break;
            default:
                stats.Reduces += outcome.Succeeded ? 1 : 0;
                break;
        }
        stats.MaxOrders = Math.Max(stats.MaxOrders, book.OrderCount);
        stats.MaxLevels = Math.Max(stats.MaxLevels, Math.Max(book.LevelCount(BookSide.Bid), book.LevelCount(BookSide.Ask)));
    }

    private static void AssertSameBook(ReferenceOrderBook expected, FastOrderBook actual)
    {
        Assert.Equal(expected.OrderCount, actual.OrderCount);
        Assert.Equal(expected.AllOrders(), actual.AllOrders());
        Assert.Equal(expected.Levels(BookSide.Bid), actual.Levels(BookSide.Bid));
        Assert.Equal(expected.Levels(BookSide.Ask), actual.Levels(BookSide.Ask));
        BookTesting.AssertInvariants(actual);
    }

    private static string Describe(CommandOutcome outcome) =>
        $"{outcome.Result} ok={outcome.Succeeded} {outcome.Order} events=[{string.Join(", ", outcome.Events)}]";
}
