using Rollup.Execution.Matching;
using Rollup.Execution.Transactions;
using static Rollup.Execution.Tests.Matching.BookTesting;

namespace Rollup.Execution.Tests.Matching;

/// <summary>
/// The behaviour every <see cref="IOrderBook"/> must have: the protocol rules written out as tests.
/// Each implementation runs all of them through a one-line subclass.
/// </summary>
public abstract class OrderBookContract
{
    private const bool Buy = true;
    private const bool Sell = false;
    private const uint Alice = 1;
    private const uint Bob = 2;
    private const uint Carol = 3;

    private protected abstract IOrderBook CreateBook(OrderBookLimits limits);

    private IOrderBook NewBook() => CreateBook(Roomy);

    [Fact]
    public void EmptyBook_HasNoBestPricesOrOrders()
    {
        var book = NewBook();
        Assert.False(book.TryGetBestBid(out _));
        Assert.False(book.TryGetBestAsk(out _));
        Assert.Equal(0, book.OrderCount);
        Assert.Empty(book.AllOrders());
        Assert.False(book.TryGet(1, out _));
    }

    [Fact]
    public void NonCrossingLimit_Rests_AndBecomesBestPrice()
    {
        var book = NewBook();
        var (bid, bidEvents) = book.Place(Limit(1, Alice, Buy, 99, 10));
        var (ask, _) = book.Place(Limit(2, Bob, Sell, 101, 7));

        Assert.Equal(new PlaceResult(PlaceStatus.Rested, 0, 10, 0, 0, 0, 0), bid);
        Assert.Equal(new PlaceResult(PlaceStatus.Rested, 0, 7, 0, 0, 0, 0), ask);
        Assert.Empty(bidEvents);
        Assert.True(book.TryGetBestBid(out var bestBid));
        Assert.True(book.TryGetBestAsk(out var bestAsk));
        Assert.Equal((99L, 101L), (bestBid, bestAsk));
        Assert.Equal(2, book.OrderCount);
        Assert.True(book.TryGet(2, out var resting));
        Assert.Equal(new RestingOrder(2, Bob, Sell, 101, 7), resting);
    }

    [Fact]
    public void PriceTimePriority_BetterPriceFirst_ThenEarlierOrderWithinAPrice()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 102, 5));
        book.Place(Limit(2, Bob, Sell, 101, 5));
        book.Place(Limit(3, Carol, Sell, 101, 5));
        book.Place(Limit(4, Alice, Sell, 100, 5));
        book.Place(Limit(5, Bob, Sell, 100, 5));

        var (result, events) = book.Place(Limit(10, 9, Buy, 102, 25));

        Assert.Equal(PlaceStatus.Filled, result.Status);
        Assert.Equal([4UL, 5, 2, 3, 1], events.Cast<FillEvent>().Select(e => e.Fill.MakerOrderId));
        Assert.Equal([100L, 100, 101, 101, 102], events.Cast<FillEvent>().Select(e => e.Fill.Price));
        Assert.Equal(0, book.OrderCount);
    }

    [Fact]
    public void CrossingOrder_WalksSeveralLevels_AndPartiallyFillsTheLastMaker()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Buy, 100, 3));
        book.Place(Limit(2, Bob, Buy, 99, 4));
        book.Place(Limit(3, Alice, Buy, 98, 10));

        var (result, events) = book.Place(Limit(4, Carol, Sell, 95, 12));

        Assert.Equal(new PlaceResult(PlaceStatus.Filled, 12, 0, 0, 3, 0, 0), result);
        Assert.Equal(
            [
                new FillEvent(new Fill(1, Alice, 4, Carol, Sell, 100, 3, 0)),
                new FillEvent(new Fill(2, Bob, 4, Carol, Sell, 99, 4, 0)),
                new FillEvent(new Fill(3, Alice, 4, Carol, Sell, 98, 5, 5)),
            ],
            events);
        Assert.True(events.Cast<FillEvent>().Take(2).All(e => e.Fill.MakerFullyFilled));
        Assert.True(book.TryGet(3, out var left));
        Assert.Equal(5, left.Size);
        Assert.Equal([new BookLevel(98, 5, 1)], book.Levels(BookSide.Bid));
        Assert.False(book.TryGet(1, out _));
    }

    [Fact]
    public void TradePrice_IsTheMakersPrice_NotTheTakers()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 5));

        var (_, events) = book.Place(Limit(2, Bob, Buy, 110, 5));

        var fill = Assert.IsType<FillEvent>(Assert.Single(events)).Fill;
        Assert.Equal(100, fill.Price);
    }

    [Fact]
    public void Gtc_RestsItsRemainder_AtItsOwnPrice()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 4));

        var (result, _) = book.Place(Limit(2, Bob, Buy, 103, 10));

        Assert.Equal(new PlaceResult(PlaceStatus.PartiallyFilledRested, 4, 6, 0, 1, 0, 0), result);
        Assert.Equal([new RestingOrder(2, Bob, Buy, 103, 6)], book.AllOrders());
        Assert.False(book.TryGetBestAsk(out _));
    }

    [Fact]
    public void Ioc_CancelsItsRemainder()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 4));
        book.Place(Limit(2, Alice, Sell, 105, 4));

        var (result, events) = book.Place(Limit(3, Bob, Buy, 103, 10, TimeInForce.Ioc));

        Assert.Equal(new PlaceResult(PlaceStatus.PartiallyFilledCancelled, 4, 0, 6, 1, 0, 0), result);
        Assert.Single(events);
        Assert.False(book.TryGet(3, out _));
        Assert.Equal([new RestingOrder(2, Alice, Sell, 105, 4)], book.AllOrders());
    }

    [Fact]
    public void Ioc_WithNothingToTake_IsCancelled()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 105, 4));

        var (result, events) = book.Place(Limit(2, Bob, Buy, 100, 10, TimeInForce.Ioc));

        Assert.Equal(new PlaceResult(PlaceStatus.Cancelled, 0, 0, 10, 0, 0, 0), result);
        Assert.Empty(events);
        Assert.Equal(1, book.OrderCount);
    }

    [Fact]
    public void Fok_WithoutEnoughLiquidity_IsRejected_AndChangesNothing()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 4));
        book.Place(Limit(2, Bob, Sell, 101, 4));
        book.Place(Limit(3, Bob, Sell, 103, 40));
        var before = book.AllOrders();

        var (result, events) = book.Place(Limit(4, Carol, Buy, 101, 9, TimeInForce.Fok));

        Assert.Equal(PlaceResult.Rejected(PlaceStatus.RejectedFokNotFillable, 9), result);
        Assert.Empty(events);
        Assert.Equal(before, book.AllOrders());
    }

    [Fact]
    public void Fok_WithEnoughLiquidity_FillsWhole()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 4));
        book.Place(Limit(2, Bob, Sell, 101, 4));

        var (result, events) = book.Place(Limit(3, Carol, Buy, 101, 8, TimeInForce.Fok));

        Assert.Equal(new PlaceResult(PlaceStatus.Filled, 8, 0, 0, 2, 0, 0), result);
        Assert.Equal(2, events.Count);
        Assert.Equal(0, book.OrderCount);
    }

    [Fact]
    public void Fok_DoesNotCountItsOwnAccountsOrders_AndIsRejectedWhenOnlyTheyWouldMakeItFillable()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 5));
        book.Place(Limit(2, Carol, Sell, 100, 5));
        var before = book.AllOrders();

        var (result, events) = book.Place(Limit(3, Carol, Buy, 100, 6, TimeInForce.Fok));

        Assert.Equal(PlaceStatus.RejectedFokNotFillable, result.Status);
        Assert.Empty(events);
        Assert.Equal(before, book.AllOrders());
    }

    [Fact]
    public void Fok_ThatIsFillable_CancelsOwnRestingOrdersItReaches()
    {
        var book = NewBook();
        book.Place(Limit(1, Carol, Sell, 100, 5));
        book.Place(Limit(2, Alice, Sell, 100, 5));
        book.Place(Limit(3, Carol, Sell, 101, 5));

        var (result, events) = book.Place(Limit(4, Carol, Buy, 101, 5, TimeInForce.Fok));

        Assert.Equal(new PlaceResult(PlaceStatus.Filled, 5, 0, 0, 1, 1, 5), result);
        Assert.Equal(
            [
                new SelfTradeCancelEvent(new RestingOrder(1, Carol, Sell, 100, 5), 4),
                new FillEvent(new Fill(2, Alice, 4, Carol, Buy, 100, 5, 0)),
            ],
            events);
        // The taker was done before reaching order 3: it stays.
        Assert.Equal([new RestingOrder(3, Carol, Sell, 101, 5)], book.AllOrders());
    }

    [Theory]
    [InlineData(101)]
    [InlineData(100)]
    public void PostOnly_ThatWouldCrossOrLock_IsRejected_AndChangesNothing(long price)
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 5));

        var (result, events) = book.Place(Limit(2, Bob, Buy, price, 5, TimeInForce.PostOnly));

        Assert.Equal(PlaceResult.Rejected(PlaceStatus.RejectedPostOnlyWouldCross, 5), result);
        Assert.Empty(events);
        Assert.Equal([new RestingOrder(1, Alice, Sell, 100, 5)], book.AllOrders());
    }

    [Fact]
    public void PostOnly_IsRejectedEvenWhenTheBestOppositeOrderIsItsOwn()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Buy, 100, 5));

        var (result, _) = book.Place(Limit(2, Alice, Sell, 100, 5, TimeInForce.PostOnly));

        Assert.Equal(PlaceStatus.RejectedPostOnlyWouldCross, result.Status);
        Assert.Equal(1, book.OrderCount);
    }

    [Fact]
    public void PostOnly_ThatDoesNotCross_Rests()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 5));

        var (result, _) = book.Place(Limit(2, Bob, Buy, 99, 5, TimeInForce.PostOnly));

        Assert.Equal(new PlaceResult(PlaceStatus.Rested, 0, 5, 0, 0, 0, 0), result);
        Assert.True(book.TryGetBestBid(out var bid));
        Assert.Equal(99, bid);
    }

    [Fact]
    public void Market_NeverRests_AndStopsAtItsPriceLimit()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 3));
        book.Place(Limit(2, Alice, Sell, 101, 3));
        book.Place(Limit(3, Alice, Sell, 102, 3));

        var (result, events) = book.Place(Market(4, Bob, Buy, 101, 10, TimeInForce.Gtc));

        Assert.Equal(new PlaceResult(PlaceStatus.PartiallyFilledCancelled, 6, 0, 4, 2, 0, 0), result);
        Assert.Equal([100L, 101], events.Cast<FillEvent>().Select(e => e.Fill.Price));
        Assert.False(book.TryGet(4, out _));
        Assert.False(book.TryGetBestBid(out _));
        Assert.Equal([new RestingOrder(3, Alice, Sell, 102, 3)], book.AllOrders());
    }

    [Fact]
    public void Market_OnAnEmptySide_IsCancelled()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Buy, 100, 3));

        var (result, _) = book.Place(Market(2, Bob, Buy, 1_000, 10));

        Assert.Equal(new PlaceResult(PlaceStatus.Cancelled, 0, 0, 10, 0, 0, 0), result);
        Assert.Equal(1, book.OrderCount);
    }

    [Fact]
    public void MarketFok_FillsWholeOrIsRejected()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Buy, 100, 3));
        book.Place(Limit(2, Alice, Buy, 90, 3));

        var (tooFar, _) = book.Place(Market(3, Bob, Sell, 95, 4, TimeInForce.Fok));
        var (whole, _) = book.Place(Market(4, Bob, Sell, 90, 4, TimeInForce.Fok));

        Assert.Equal(PlaceStatus.RejectedFokNotFillable, tooFar.Status);
        Assert.Equal(new PlaceResult(PlaceStatus.Filled, 4, 0, 0, 2, 0, 0), whole);
        Assert.Equal([new RestingOrder(2, Alice, Buy, 90, 2)], book.AllOrders());
    }

    [Fact]
    public void SelfTrade_CancelsTheRestingOrder_AndMatchingContinues()
    {
        var book = NewBook();
        book.Place(Limit(1, Bob, Sell, 100, 2));
        book.Place(Limit(2, Alice, Sell, 100, 4));
        book.Place(Limit(3, Bob, Sell, 100, 3));
        book.Place(Limit(4, Alice, Sell, 101, 6));
        book.Place(Limit(5, Carol, Sell, 102, 6));

        var (result, events) = book.Place(Limit(6, Alice, Buy, 102, 7));

        Assert.Equal(new PlaceResult(PlaceStatus.Filled, 7, 0, 0, 3, 2, 10), result);
        Assert.Equal(
            [
                new FillEvent(new Fill(1, Bob, 6, Alice, Buy, 100, 2, 0)),
                new SelfTradeCancelEvent(new RestingOrder(2, Alice, Sell, 100, 4), 6),
                new FillEvent(new Fill(3, Bob, 6, Alice, Buy, 100, 3, 0)),
                new SelfTradeCancelEvent(new RestingOrder(4, Alice, Sell, 101, 6), 6),
                new FillEvent(new Fill(5, Carol, 6, Alice, Buy, 102, 2, 4)),
            ],
            events);
        Assert.Equal([new RestingOrder(5, Carol, Sell, 102, 4)], book.AllOrders());
    }

    [Fact]
    public void SelfTrade_WithOnlyOwnOrdersInReach_CancelsThem_AndTheGtcRests()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 2));
        book.Place(Limit(2, Bob, Sell, 105, 2));

        var (result, events) = book.Place(Limit(3, Alice, Buy, 101, 5));

        Assert.Equal(new PlaceResult(PlaceStatus.Rested, 0, 5, 0, 0, 1, 2), result);
        Assert.IsType<SelfTradeCancelEvent>(Assert.Single(events));
        Assert.Equal([new BookLevel(101, 5, 1)], book.Levels(BookSide.Bid));
        Assert.Equal([new BookLevel(105, 2, 1)], book.Levels(BookSide.Ask));
    }

    [Fact]
    public void Cancel_RemovesTheOrder_AndItsLevelWhenEmpty()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Buy, 100, 5));
        book.Place(Limit(2, Bob, Buy, 100, 6));
        book.Place(Limit(3, Bob, Buy, 99, 7));

        Assert.True(book.Cancel(2, out var cancelled));
        Assert.Equal(new RestingOrder(2, Bob, Buy, 100, 6), cancelled);
        Assert.Equal([new BookLevel(100, 5, 1), new BookLevel(99, 7, 1)], book.Levels(BookSide.Bid));
        Assert.True(book.Cancel(1, out _));
        Assert.True(book.TryGetBestBid(out var best));
        Assert.Equal(99, best);
        Assert.Equal(1, book.OrderCount);
        Assert.False(book.TryGet(1, out _));
    }

    [Fact]
    public void Cancel_OfAnUnknownOrAlreadyCancelledId_ReturnsFalse()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Buy, 100, 5));

        Assert.False(book.Cancel(42, out var unknown));
        Assert.Equal(default, unknown);
        Assert.True(book.Cancel(1, out _));
        Assert.False(book.Cancel(1, out _));
        Assert.Equal(0, book.OrderCount);
    }

    [Fact]
    public void Cancel_InTheMiddleOfALevel_KeepsTheOthersInOrder()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 1));
        book.Place(Limit(2, Bob, Sell, 100, 1));
        book.Place(Limit(3, Carol, Sell, 100, 1));
        book.Cancel(2, out _);
        book.Place(Limit(4, Bob, Sell, 100, 1));

        var (_, events) = book.Place(Limit(5, 9, Buy, 100, 3));

        Assert.Equal([1UL, 3, 4], events.Cast<FillEvent>().Select(e => e.Fill.MakerOrderId));
    }

    [Fact]
    public void DuplicateId_OfARestingOrder_IsRejected_AndChangesNothing()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 5));

        var (result, events) = book.Place(Limit(1, Bob, Buy, 100, 5));

        Assert.Equal(PlaceResult.Rejected(PlaceStatus.RejectedDuplicateId, 5), result);
        Assert.Empty(events);
        Assert.Equal([new RestingOrder(1, Alice, Sell, 100, 5)], book.AllOrders());
    }

    [Theory]
    [InlineData(0, 5, OrderKind.Limit, TimeInForce.Gtc)]
    [InlineData(-1, 5, OrderKind.Limit, TimeInForce.Gtc)]
    [InlineData(100, 0, OrderKind.Limit, TimeInForce.Gtc)]
    [InlineData(100, -5, OrderKind.Limit, TimeInForce.Ioc)]
    [InlineData(100, 5, OrderKind.Market, TimeInForce.PostOnly)]
    [InlineData(100, 5, (OrderKind)7, TimeInForce.Gtc)]
    [InlineData(100, 5, OrderKind.Limit, (TimeInForce)9)]
    public void InvalidOrders_AreRejected_AndChangeNothing(long price, long size, OrderKind kind, TimeInForce timeInForce)
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 5));

        var (result, events) = book.Place(new NewOrder(2, Bob, Buy, price, size, kind, timeInForce));

        Assert.Equal(PlaceResult.Rejected(PlaceStatus.RejectedInvalid, size), result);
        Assert.Empty(events);
        Assert.Equal(1, book.OrderCount);
    }

    [Fact]
    public void BookFull_OnOrders_RejectsAnOrderThatWouldRest_AndChangesNothing()
    {
        var book = CreateBook(new OrderBookLimits(maxOrders: 3, maxLevelsPerSide: 10));
        book.Place(Limit(1, Alice, Sell, 100, 5));
        book.Place(Limit(2, Bob, Sell, 101, 5));
        book.Place(Limit(3, Bob, Buy, 98, 5));
        var before = book.AllOrders();

        var (passive, _) = book.Place(Limit(4, Carol, Buy, 97, 5));
        // Would take 5 of the 6 it needs and then have to rest: refused before it trades.
        var (crossing, events) = book.Place(Limit(5, Carol, Buy, 100, 6));

        Assert.Equal(PlaceResult.Rejected(PlaceStatus.RejectedBookFull, 5), passive);
        Assert.Equal(PlaceResult.Rejected(PlaceStatus.RejectedBookFull, 6), crossing);
        Assert.Empty(events);
        Assert.Equal(before, book.AllOrders());
    }

    [Fact]
    public void BookFull_OnLevels_RejectsANewPrice_ButAcceptsAnExistingOne()
    {
        var book = CreateBook(new OrderBookLimits(maxOrders: 100, maxLevelsPerSide: 2));
        book.Place(Limit(1, Alice, Buy, 100, 5));
        book.Place(Limit(2, Alice, Buy, 99, 5));

        var (newPrice, _) = book.Place(Limit(3, Bob, Buy, 98, 5));
        var (postOnly, _) = book.Place(Limit(4, Bob, Buy, 101, 5, TimeInForce.PostOnly));
        var (existing, _) = book.Place(Limit(5, Bob, Buy, 99, 5));
        var (otherSide, _) = book.Place(Limit(6, Bob, Sell, 105, 5));

        Assert.Equal(PlaceStatus.RejectedBookFull, newPrice.Status);
        Assert.Equal(PlaceStatus.RejectedBookFull, postOnly.Status);
        Assert.Equal(PlaceStatus.Rested, existing.Status);
        Assert.Equal(PlaceStatus.Rested, otherSide.Status);
        Assert.Equal([new BookLevel(100, 5, 1), new BookLevel(99, 10, 2)], book.Levels(BookSide.Bid));
    }

    [Fact]
    public void BookFull_StillTakes_OrdersThatFillWhole_AndOrdersThatNeverRest()
    {
        var book = CreateBook(new OrderBookLimits(maxOrders: 2, maxLevelsPerSide: 10));
        book.Place(Limit(1, Alice, Sell, 100, 5));
        book.Place(Limit(2, Alice, Sell, 101, 5));

        var (wholeGtc, _) = book.Place(Limit(3, Bob, Buy, 100, 3));
        var (ioc, _) = book.Place(Limit(4, Bob, Buy, 101, 20, TimeInForce.Ioc));

        Assert.Equal(PlaceStatus.Filled, wholeGtc.Status);
        Assert.Equal(new PlaceResult(PlaceStatus.PartiallyFilledCancelled, 7, 0, 13, 2, 0, 0), ioc);
        Assert.Equal(0, book.OrderCount);
    }

    [Fact]
    public void TryReduceSize_LowersTheSize_AndKeepsPriority()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Sell, 100, 10));
        book.Place(Limit(2, Bob, Sell, 100, 10));

        Assert.True(book.TryReduceSize(1, 4, out var reduced));
        Assert.Equal(new RestingOrder(1, Alice, Sell, 100, 4), reduced);
        Assert.False(book.TryReduceSize(1, 4, out _));
        Assert.False(book.TryReduceSize(1, 0, out _));
        Assert.False(book.TryReduceSize(1, 9, out _));
        Assert.False(book.TryReduceSize(77, 1, out _));
        Assert.Equal([new BookLevel(100, 14, 2)], book.Levels(BookSide.Ask));

        var (_, events) = book.Place(Limit(3, Carol, Buy, 100, 5));

        Assert.Equal([new Fill(1, Alice, 3, Carol, Buy, 100, 4, 0), new Fill(2, Bob, 3, Carol, Buy, 100, 1, 9)], events.Cast<FillEvent>().Select(e => e.Fill));
    }

    [Fact]
    public void GetLevels_WritesTheTopLevelsOfEachSide_BestFirst()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Buy, 98, 1));
        book.Place(Limit(2, Bob, Buy, 100, 2));
        book.Place(Limit(3, Carol, Buy, 100, 3));
        book.Place(Limit(4, Alice, Buy, 99, 4));
        book.Place(Limit(5, Alice, Sell, 103, 5));
        book.Place(Limit(6, Bob, Sell, 101, 6));

        Span<BookLevel> top = stackalloc BookLevel[2];
        Assert.Equal(2, book.GetLevels(BookSide.Bid, top));
        Assert.Equal(new BookLevel(100, 5, 2), top[0]);
        Assert.Equal(new BookLevel(99, 4, 1), top[1]);
        Span<BookLevel> roomy = stackalloc BookLevel[8];
        Assert.Equal(2, book.GetLevels(BookSide.Ask, roomy));
        Assert.Equal(new BookLevel(101, 6, 1), roomy[0]);
        Assert.Equal(new BookLevel(103, 5, 1), roomy[1]);
        Assert.Equal(0, book.GetLevels(BookSide.Ask, []));
        Assert.Equal(3, book.LevelCount(BookSide.Bid));
    }

    [Fact]
    public void ForEachOrder_StopsWhenTheVisitorSaysSo()
    {
        var book = NewBook();
        for (ulong id = 1; id <= 5; id++)
        {
            book.Place(Limit(id, Alice, Buy, 100 - (long)id, 1));
        }
        var visitor = new FirstN(2);
        book.ForEachOrder(BookSide.Bid, ref visitor);
        Assert.Equal(2, visitor.Seen);
    }

    private struct FirstN(int n) : IOrderVisitor
    {
        public int Seen { get; private set; }

        public bool Visit(in RestingOrder order) => ++Seen < n;
    }

    [Fact]
    public void Restore_FromEnumeration_InAnyOrder_GivesAnIdenticalBook()
    {
        var generator = new OrderFlowGenerator(seed: 7);
        var original = NewBook();
        foreach (var command in generator.Generate(20_000))
        {
            original.Apply(command);
        }
        var resting = original.AllOrders();
        Assert.NotEmpty(resting);
        var shuffled = resting.ToArray();
        new Random(3).Shuffle(shuffled);

        var restored = NewBook();
        foreach (var order in shuffled)
        {
            Assert.Equal(PlaceStatus.Rested, restored.Restore(order));
        }

        Assert.Equal(resting, restored.AllOrders());
        Assert.Equal(original.Levels(BookSide.Bid), restored.Levels(BookSide.Bid));
        Assert.Equal(original.Levels(BookSide.Ask), restored.Levels(BookSide.Ask));
        foreach (var command in generator.Generate(20_000))
        {
            Assert.Equal(original.Apply(command), restored.Apply(command));
        }
        Assert.Equal(original.AllOrders(), restored.AllOrders());
    }

    [Fact]
    public void Restore_RefusesDuplicatesCrossingInvalidAndOverflowingOrders()
    {
        var book = CreateBook(new OrderBookLimits(maxOrders: 3, maxLevelsPerSide: 1));
        Assert.Equal(PlaceStatus.Rested, book.Restore(new RestingOrder(5, Alice, Buy, 100, 5)));
        Assert.Equal(PlaceStatus.RejectedDuplicateId, book.Restore(new RestingOrder(5, Bob, Sell, 200, 5)));
        Assert.Equal(PlaceStatus.RejectedPostOnlyWouldCross, book.Restore(new RestingOrder(6, Bob, Sell, 100, 5)));
        Assert.Equal(PlaceStatus.RejectedInvalid, book.Restore(new RestingOrder(6, Bob, Sell, 101, 0)));
        Assert.Equal(PlaceStatus.RejectedBookFull, book.Restore(new RestingOrder(6, Bob, Buy, 99, 5)));
        Assert.Equal(PlaceStatus.Rested, book.Restore(new RestingOrder(3, Bob, Buy, 100, 1)));
        Assert.Equal(PlaceStatus.Rested, book.Restore(new RestingOrder(7, Bob, Sell, 101, 1)));
        Assert.Equal(PlaceStatus.RejectedBookFull, book.Restore(new RestingOrder(8, Bob, Sell, 101, 1)));
        // The earlier id goes first within its price even though it was restored later.
        Assert.Equal([3UL, 5], book.Orders(BookSide.Bid).Select(o => o.OrderId));
    }

    [Fact]
    public void Clear_EmptiesTheBook_AndItWorksAsNewAfterwards()
    {
        var book = NewBook();
        book.Place(Limit(1, Alice, Buy, 100, 5));
        book.Place(Limit(2, Alice, Sell, 101, 5));
        book.Clear();
        Assert.Equal(0, book.OrderCount);
        Assert.False(book.TryGetBestBid(out _));
        Assert.False(book.TryGet(1, out _));

        Assert.Equal(PlaceStatus.Rested, book.Place(Limit(1, Bob, Sell, 100, 5)).Result.Status);
        Assert.Equal([new RestingOrder(1, Bob, Sell, 100, 5)], book.AllOrders());
    }

    [Theory]
    [InlineData(11UL, 100_000, 10_000)]
    [InlineData(12UL, 300, 20)]
    public void RandomFlow_KeepsEveryInvariant_AfterEveryCommand(ulong seed, int maxOrders, int maxLevels)
    {
        var book = CreateBook(new OrderBookLimits(maxOrders, maxLevels));
        var ledger = new OrderLedger(book);
        foreach (var command in new OrderFlowGenerator(seed, accounts: 40).Generate(15_000))
        {
            ledger.Apply(command);
            AssertInvariants(book);
        }
        ledger.AssertAllConserved();
        Assert.True(ledger.SelfTradeCancels > 0, "the flow should exercise self-trade prevention");
        Assert.True(ledger.Fills > 1_000);
    }
}

public sealed class ReferenceOrderBookTests : OrderBookContract
{
    private protected override IOrderBook CreateBook(OrderBookLimits limits) => new ReferenceOrderBook(limits);
}

public sealed class FastOrderBookTests : OrderBookContract
{
    private protected override IOrderBook CreateBook(OrderBookLimits limits) => new FastOrderBook(limits);
}
