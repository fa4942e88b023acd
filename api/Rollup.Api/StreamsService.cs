using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Execution.Matching;
using Rollup.Primitives;
using P = Rollup.Proto.V1;

namespace Rollup.Api;

/// <summary>rollup.v1.Streams: live feeds built on the node's block subscription (sequencer or validator).</summary>
public sealed class StreamsService(IChainView chain) : P.Streams.StreamsBase
{
    private const int DefaultDepth = 50;
    private const int MaxDepth = 1000;

    private readonly ConditionalWeakTable<BlockResult, Lazy<P.Block>> _blockMessages = new();
    private int _blockMessagesBuilt;

    public override Task StreamBlocks(P.StreamBlocksRequest request, IServerStreamWriter<P.Block> responseStream, ServerCallContext context) =>
        Follow(context, (result, token) => responseStream.WriteAsync(BlockMessage(result), token));

    /// <summary>
    /// The message of a published block, built (the block read back, every transaction encoded and hashed) once and
    /// shared by every subscriber, instead of once per subscriber. Messages are only read after they are built, so
    /// concurrent streams may serialize the same one. Keyed weakly by the result, which the subscriptions hold.
    /// </summary>
    internal P.Block BlockMessage(BlockResult result) =>
        _blockMessages.GetValue(result, r => new Lazy<P.Block>(() => BuildBlockMessage(r))).Value;

    private P.Block BuildBlockMessage(BlockResult result)
    {
        Interlocked.Increment(ref _blockMessagesBuilt);
        var record = chain.ReadStored(engine => engine.GetBlock(result.Number));
        var transactions = record?.Block.Transactions ?? [];
        return ProtoViews.Block(result.Number, result.Timestamp, result.StateRoot, result.WithdrawalsRoot, transactions, result.Receipts);
    }

    /// <summary>How many block messages the block streams have built: one per block, however many subscribe.</summary>
    internal int BlockMessagesBuilt => Volatile.Read(ref _blockMessagesBuilt);

    public override Task StreamTrades(P.StreamTradesRequest request, IServerStreamWriter<P.Trade> responseStream, ServerCallContext context)
    {
        RequireMarket(request.Market);
        return Follow(context, async (result, token) =>
        {
            foreach (var e in result.Events)
            {
                if (e.Kind == EventKind.Fill && e.Market == request.Market)
                {
                    await responseStream.WriteAsync(new P.Trade
                    {
                        Market = e.Market, BlockNumber = result.Number, TakerOrderId = e.OrderId, MakerOrderId = e.OtherOrderId,
                        Taker = ProtoViews.Bytes(e.Account), Maker = ProtoViews.Bytes(e.Counterparty), TakerIsBuy = e.IsBuy,
                        Price = (ulong)e.Price, Size = (ulong)e.Size,
                    }, token).ConfigureAwait(false);
                }
            }
        });
    }

    /// <summary>A snapshot of the top levels, then after every block the levels whose size changed (0: gone).</summary>
    public override async Task StreamOrderBook(P.StreamOrderBookRequest request, IServerStreamWriter<P.OrderBookUpdate> responseStream, ServerCallContext context)
    {
        RequireMarket(request.Market);
        var depth = request.Depth == 0 ? DefaultDepth : (int)Math.Min(request.Depth, MaxDepth);
        var subscription = chain.Subscribe();
        try
        {
            var sequence = 0UL;
            var (book, block) = Snapshot(request.Market, depth);
            await responseStream.WriteAsync(new P.OrderBookUpdate { Sequence = sequence++, BlockNumber = block, Snapshot = book }, context.CancellationToken).ConfigureAwait(false);
            await foreach (var _ in Read(subscription, context.CancellationToken).ConfigureAwait(false))
            {
                var (next, nextBlock) = Snapshot(request.Market, depth);
                var update = new P.OrderBookUpdate { Sequence = sequence, BlockNumber = nextBlock };
                Diff(book.Bids, next.Bids, update.BidChanges);
                Diff(book.Asks, next.Asks, update.AskChanges);
                book = next;
                if (update.BidChanges.Count + update.AskChanges.Count > 0)
                {
                    sequence++;
                    await responseStream.WriteAsync(update, context.CancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The subscriber left (see Follow).
        }
        finally
        {
            chain.Unsubscribe(subscription);
        }
    }

    public override Task StreamAccount(P.StreamAccountRequest request, IServerStreamWriter<P.AccountEvent> responseStream, ServerCallContext context)
    {
        if (!TransactionMapping.TryAddress(request.Account, out var account))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "account: an address is 20 bytes"));
        }
        return Follow(context, async (result, token) =>
        {
            foreach (var e in result.Events)
            {
                if (AccountEventView.Concerns(e, account))
                {
                    await responseStream.WriteAsync(AccountEventView.For(e, account, result.Number), token).ConfigureAwait(false);
                }
            }
        });
    }

    private async Task Follow(ServerCallContext context, Func<BlockResult, CancellationToken, Task> onBlock)
    {
        var subscription = chain.Subscribe();
        try
        {
            await foreach (var result in Read(subscription, context.CancellationToken).ConfigureAwait(false))
            {
                await onBlock(result, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The subscriber left: the stream is over, not failed (JSON transcoding would log the exception as an error).
        }
        finally
        {
            chain.Unsubscribe(subscription);
        }
    }

    private static async IAsyncEnumerable<BlockResult> Read(ChannelReader<BlockResult> subscription, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
    {
        while (true)
        {
            try
            {
                if (!await subscription.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (SubscriberTooSlowException error)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, error.Message));
            }
            while (subscription.TryRead(out var result))
            {
                yield return result;
            }
        }
    }

    private (P.OrderBook Book, ulong Block) Snapshot(uint marketId, int depth) => chain.ReadCommitted(view =>
    {
        var book = new P.OrderBook { Market = marketId, BlockNumber = view.Head.BlockNumber };
        var (bids, asks) = view.Levels(marketId, depth);
        ProtoViews.Levels(bids, book.Bids);
        ProtoViews.Levels(asks, book.Asks);
        return (book, view.Head.BlockNumber);
    });

    private static void Diff(Google.Protobuf.Collections.RepeatedField<P.BookLevel> before, Google.Protobuf.Collections.RepeatedField<P.BookLevel> after, Google.Protobuf.Collections.RepeatedField<P.BookLevel> changes)
    {
        var old = new Dictionary<ulong, P.BookLevel>(before.Count);
        foreach (var level in before)
        {
            old[level.Price] = level;
        }
        foreach (var level in after)
        {
            if (!old.Remove(level.Price, out var previous) || previous.Size != level.Size || previous.Orders != level.Orders)
            {
                changes.Add(level);
            }
        }
        foreach (var gone in old.Values)
        {
            changes.Add(new P.BookLevel { Price = gone.Price, Size = 0, Orders = 0 });
        }
    }

    private void RequireMarket(uint market)
    {
        if (!chain.ReadCommitted(view => view.TryGetMarket(market, out _)))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"market {market} does not exist"));
        }
    }
}
