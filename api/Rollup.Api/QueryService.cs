using Google.Protobuf;
using Rollup.Execution.Chain;
using Rollup.Execution.Matching;
using Grpc.Core;
using Rollup.Primitives;
using P = Rollup.Proto.V1;

namespace Rollup.Api;

/// <summary>
/// rollup.v1.Query: reads of the state as of the last executed block, of the node's batches on L1 through
/// <paramref name="batches"/> (none: a node without L1, whose batch list is empty), and of the dispute games on L1
/// through <paramref name="games"/> (none: a node that watches no game). Reads of the committed view and of stored
/// blocks run on <paramref name="reads"/>' low-priority threads (none: on the calling thread, as tests host it).
/// </summary>
public sealed class QueryService(IChainView chain, ReadPool? reads = null, IBatchLedger? batches = null, IDisputeGameLedger? games = null) : P.Query.QueryBase
{
    private const int DefaultDepth = 50;
    private const int MaxDepth = 1000;
    private const int DefaultBatches = 20;
    private const int MaxBatches = 200;

    public override Task<P.Account> GetAccount(P.GetAccountRequest request, ServerCallContext context) => Serve(() => ReadAccount(request));

    public override Task<P.OpenOrders> GetOpenOrders(P.GetOpenOrdersRequest request, ServerCallContext context) => Serve(() => ReadOpenOrders(request));

    public override Task<P.RestingOrder> GetOrder(P.GetOrderRequest request, ServerCallContext context) => Serve(() => ReadOrder(request));

    public override Task<P.Market> GetMarket(P.GetMarketRequest request, ServerCallContext context) => Serve(() => ReadMarket(request));

    public override Task<P.Markets> ListMarkets(P.ListMarketsRequest request, ServerCallContext context) => Serve(ReadMarkets);

    public override Task<P.OrderBook> GetOrderBook(P.GetOrderBookRequest request, ServerCallContext context) => Serve(() => ReadOrderBook(request));

    public override Task<P.Block> GetBlock(P.GetBlockRequest request, ServerCallContext context) => Serve(() => ReadBlock(request));

    public override Task<P.TxReceipt> GetReceipt(P.GetReceiptRequest request, ServerCallContext context) => Serve(() => ReadReceipt(request));

    public override Task<P.LocatedReceipt> GetReceiptByHash(P.GetReceiptByHashRequest request, ServerCallContext context) => Serve(() => ReadReceiptByHash(request));

    public override Task<P.LocatedReceipt> GetReceiptBySequence(P.GetReceiptBySequenceRequest request, ServerCallContext context) => Serve(() => ReadReceiptBySequence(request));

    public override Task<P.StateRoot> GetStateRoot(P.GetStateRootRequest request, ServerCallContext context) => Serve(ReadStateRoot);

    public override Task<P.AccountProof> GetAccountProof(P.GetAccountRequest request, ServerCallContext context) => Task.FromResult(ReadAccountProof(request));

    public override Task<P.PositionProof> GetPositionProof(P.GetPositionProofRequest request, ServerCallContext context) => Task.FromResult(ReadPositionProof(request));

    public override Task<P.WithdrawalProof> GetWithdrawalProof(P.GetWithdrawalProofRequest request, ServerCallContext context) => Task.FromResult(ReadWithdrawalProof(request));

    public override Task<P.Batches> ListBatches(P.ListBatchesRequest request, ServerCallContext context)
    {
        var limit = request.Limit == 0 ? DefaultBatches : (int)Math.Min(request.Limit, MaxBatches);
        return batches is null ? Task.FromResult(new P.Batches { L1 = false }) : batches.ListAsync(limit, context.CancellationToken);
    }

    public override Task<P.DisputeGames> ListDisputeGames(P.ListDisputeGamesRequest request, ServerCallContext context) =>
        Task.FromResult(games?.List(request.OpenOnly) ?? new P.DisputeGames { Watching = false });

    // Reads of the state are served from the last committed block's view: they never wait for a block being executed.
    // Proofs need the state trees, which live in the engine's memory, and still read between blocks: they stay on the
    // calling thread, since a low-priority reader holding the engine's read lock would hold the writer up behind it.

    private Task<T> Serve<T>(Func<T> read) => reads is null ? Task.FromResult(read()) : reads.RunAsync(read);

    private P.Account ReadAccount(P.GetAccountRequest request)
    {
        var account = RequestParameters.Account(request.Account, request.Address);
        return chain.ReadCommitted(view =>
        {
            if (!view.TryGetAccount(account, out var state))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"account {account} has no state"));
            }
            var message = new P.Account
            {
                Account_ = ProtoViews.Bytes(account),
                FreeBalance = state.FreeBalance,
                HighestNonce = state.Nonces.Highest ?? 0,
                UsedNonces = state.Nonces.UsedBits,
                BlockNumber = view.Head.BlockNumber,
            };
            foreach (var held in state.Held)
            {
                if (held.Amount == 0)
                {
                    continue; // an entry a transfer keeps for its block's reply, holding nothing
                }
                message.Held.Add(new P.HeldCredit { Market = held.Market, Block = held.Block, Amount = held.Amount });
            }
            foreach (var market in view.Markets)
            {
                if (view.TryGetPosition(market.Id, account, out var position))
                {
                    message.Positions.Add(new P.Position
                    {
                        Market = market.Id, Size = position.Size, Collateral = position.Collateral, Equity = market.EquityOf(position),
                        OpenOrders = (uint)view.OpenOrderCount(market.Id, account),
                    });
                }
            }
            return message;
        });
    }

    private P.OpenOrders ReadOpenOrders(P.GetOpenOrdersRequest request)
    {
        var account = RequestParameters.Account(request.Account, request.Address);
        return chain.ReadCommitted(view =>
        {
            var market = RequireMarket(view, request.Market);
            var message = new P.OpenOrders();
            foreach (var order in view.Orders(market.Id, account))
            {
                message.Orders.Add(ProtoViews.Order(market.Id, order));
            }
            return message;
        });
    }

    private P.RestingOrder ReadOrder(P.GetOrderRequest request) => chain.ReadCommitted(view =>
    {
        var market = RequireMarket(view, request.Market);
        var found = request.IdCase == P.GetOrderRequest.IdOneofCase.ClientOrderId
            ? view.TryGetOrderByClientId(market.Id, RequestParameters.Account(request.Account, request.Address), request.ClientOrderId, out var order)
            : view.TryGetOrder(market.Id, request.OrderId, out order);
        return found ? ProtoViews.Order(market.Id, order) : throw new RpcException(new Status(StatusCode.NotFound, "no such resting order"));
    });

    private P.Market ReadMarket(P.GetMarketRequest request) => chain.ReadCommitted(view => ProtoViews.Market(RequireMarket(view, request.Market)));

    private P.Markets ReadMarkets() => chain.ReadCommitted(view =>
    {
        var message = new P.Markets();
        foreach (var market in view.Markets)
        {
            message.Markets_.Add(ProtoViews.Market(market));
        }
        return message;
    });

    private P.OrderBook ReadOrderBook(P.GetOrderBookRequest request)
    {
        var depth = request.Depth == 0 ? DefaultDepth : (int)Math.Min(request.Depth, MaxDepth);
        return chain.ReadCommitted(view =>
        {
            var market = RequireMarket(view, request.Market);
            var book = new P.OrderBook { Market = market.Id, BlockNumber = view.Head.BlockNumber };
            var (bids, asks) = view.Levels(market.Id, depth);
            ProtoViews.Levels(bids, book.Bids);
            ProtoViews.Levels(asks, book.Asks);
            if (request.Full)
            {
                var perSide = depth * 100;
                int bidCount = 0, askCount = 0;
                foreach (var order in view.Orders(market.Id))
                {
                    if (order.IsBuy ? bidCount++ < perSide : askCount++ < perSide)
                    {
                        (order.IsBuy ? book.BidOrders : book.AskOrders).Add(ProtoViews.Order(market.Id, order));
                    }
                }
            }
            return book;
        });
    }

    private P.Block ReadBlock(P.GetBlockRequest request) => chain.ReadStored(engine =>
    {
        var record = engine.GetBlock(request.Number) ?? throw new RpcException(new Status(StatusCode.NotFound, $"block {request.Number} is not executed yet"));
        return ProtoViews.Block(record.Block.Number, record.Block.Timestamp, record.StateRoot, record.WithdrawalsRoot, record.Block.Transactions, record.Receipts);
    });

    private P.TxReceipt ReadReceipt(P.GetReceiptRequest request) => chain.ReadStored(engine =>
    {
        var record = engine.GetBlock(request.BlockNumber) ?? throw new RpcException(new Status(StatusCode.NotFound, $"block {request.BlockNumber} is not executed yet"));
        return request.Index < record.Receipts.Length
            ? ProtoViews.Receipt(record.Receipts[request.Index], record.Block.Transactions[request.Index])
            : throw new RpcException(new Status(StatusCode.NotFound, $"block {request.BlockNumber} has {record.Receipts.Length} transactions"));
    });

    private P.LocatedReceipt ReadReceiptByHash(P.GetReceiptByHashRequest request)
    {
        var hash = RequestParameters.TxHash(request.TxHash, request.Hash);
        return chain.ReadStored(engine => engine.FindTransaction(hash) is { } location
            ? Located(engine, location)
            : throw new RpcException(new Status(StatusCode.NotFound, $"no executed transaction has hash {hash} (one acked a moment ago may not be in a block yet: ask by its sequence)")));
    }

    private P.LocatedReceipt ReadReceiptBySequence(P.GetReceiptBySequenceRequest request)
    {
        if (chain.ReadStored(engine => engine.FindTransaction(request.Sequence) is { } location ? Located(engine, location) : null) is { } found)
        {
            return found;
        }
        // Read after the index: a transaction logged in between reads as acked, which it is.
        var acknowledged = chain.AcknowledgedTransactions;
        throw request.Sequence < acknowledged
            ? new RpcException(new Status(StatusCode.Unavailable, $"sequence {request.Sequence} is acked but not yet in an executed block; retry"))
            : new RpcException(new Status(StatusCode.NotFound, $"no transaction has sequence {request.Sequence} yet (this node has {acknowledged}, numbered from 0)"));
    }

    private static P.LocatedReceipt Located(Execution.Blocks.IBlockStore engine, Execution.Blocks.TxLocation location)
    {
        var record = engine.GetBlock(location.BlockNumber) ?? throw new RpcException(new Status(StatusCode.Internal, $"block {location.BlockNumber} is missing from the store"));
        return new P.LocatedReceipt
        {
            BlockNumber = location.BlockNumber,
            Index = (uint)location.Index,
            Sequence = location.Sequence,
            Receipt = ProtoViews.Receipt(record.Receipts[location.Index], record.Block.Transactions[location.Index]),
        };
    }

    private P.StateRoot ReadStateRoot() => chain.ReadCommitted(view => new P.StateRoot
    {
        BlockNumber = view.Head.BlockNumber,
        StateRoot_ = ProtoViews.Bytes(view.Head.StateRoot),
        AccountsRoot = ProtoViews.Bytes(view.AccountsRoot),
        MarketsRoot = ProtoViews.Bytes(view.MarketsRoot),
    });

    private P.AccountProof ReadAccountProof(P.GetAccountRequest request)
    {
        var account = RequestParameters.Account(request.Account, request.Address);
        return chain.Read(engine =>
        {
            var proof = engine.ProveAccount(account) ?? throw new RpcException(new Status(StatusCode.NotFound, $"account {account} has no state"));
            return new P.AccountProof
            {
                Account = ProtoViews.Bytes(account),
                Record = ByteString.CopyFrom(proof.Record),
                Path = ProtoViews.Proof(proof.Path),
                MarketsRoot = ProtoViews.Bytes(proof.MarketsRoot),
                StateRoot = ProtoViews.Bytes(engine.Head.StateRoot),
                BlockNumber = engine.Head.BlockNumber,
            };
        });
    }

    private P.PositionProof ReadPositionProof(P.GetPositionProofRequest request)
    {
        var account = RequestParameters.Account(request.Account, request.Address);
        return chain.Read(engine =>
        {
            RequireMarket(engine, request.Market);
            var proof = engine.ProvePosition(request.Market, account) ?? throw new RpcException(new Status(StatusCode.NotFound, $"no position of {account} in market {request.Market}"));
            return new P.PositionProof
            {
                Market = request.Market,
                Account = ProtoViews.Bytes(account),
                Record = ByteString.CopyFrom(proof.Record),
                PathInMarket = ProtoViews.Proof(proof.PathInMarket),
                MarketRootPath = ProtoViews.Proof(proof.MarketRootPath),
                AccountsRoot = ProtoViews.Bytes(proof.AccountsRoot),
                StateRoot = ProtoViews.Bytes(engine.Head.StateRoot),
                BlockNumber = engine.Head.BlockNumber,
            };
        });
    }

    private const ulong MaxWithdrawalProofBlocks = 100_000;

    private P.WithdrawalProof ReadWithdrawalProof(P.GetWithdrawalProofRequest request)
    {
        if (request.FirstBlock == 0 || request.LastBlock < request.FirstBlock || request.LastBlock - request.FirstBlock >= MaxWithdrawalProofBlocks)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"blocks {request.FirstBlock}..{request.LastBlock}: need 1 <= first <= last, at most {MaxWithdrawalProofBlocks} blocks"));
        }
        if (request.Block < request.FirstBlock || request.Block > request.LastBlock)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"block {request.Block} is outside {request.FirstBlock}..{request.LastBlock}"));
        }
        var (records, accountsStart) = chain.Read(engine =>
        {
            if (request.LastBlock > engine.Head.BlockNumber)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"block {request.LastBlock} is past this node's head {engine.Head.BlockNumber}"));
            }
            var list = new List<Execution.Blocks.BlockRecord>((int)(request.LastBlock - request.FirstBlock + 1));
            for (var number = request.FirstBlock; number <= request.LastBlock; number++)
            {
                list.Add(engine.GetBlock(number) ?? throw new RpcException(new Status(StatusCode.Internal, $"block {number} is missing from the store")));
            }
            return (list, request.WithAccountsEnd ? engine.AccountsDomainStateAfter(request.FirstBlock - 1) : null);
        });
        var withdrawals = Execution.Blocks.BlockWithdrawals.Of(records);
        for (var i = 0; i < withdrawals.Count; i++)
        {
            var withdrawal = withdrawals[i];
            if (withdrawal.BlockNumber != request.Block || withdrawal.TxIndex != (int)request.TxIndex)
            {
                continue;
            }
            var proof = Execution.State.Proofs.StateProofVerifier.ProveWithdrawal(withdrawals, i);
            var reply = new P.WithdrawalProof
            {
                Account = ProtoViews.Bytes(withdrawal.Account),
                Amount = (ulong)withdrawal.Amount,
                Block = withdrawal.BlockNumber,
                TxIndex = (uint)withdrawal.TxIndex,
                // The root the proof leads to is the tree's root: no second tree to build.
                WithdrawalsRoot = ProtoViews.Bytes(proof.Path.ComputeRoot(Execution.Blocks.ExecutionEngine.WithdrawalKey(withdrawal), Execution.Blocks.ExecutionEngine.WithdrawalValueHash(withdrawal))!.Value),
            };
            foreach (var sibling in proof.Path.Siblings)
            {
                reply.Siblings.Add(ProtoViews.Bytes(sibling));
            }
            foreach (var draw in withdrawal.Drawn is null ? [] : withdrawal.Drawn.Span)
            {
                reply.Drawn.Add(new P.HeldDraw { Market = draw.Market, Block = draw.Block });
            }
            if (accountsStart is not null)
            {
                var (_, end) = Execution.Steps.AccountsClaims.ClaimWithEndState(accountsStart, request.FirstSequence, records);
                reply.AccountsEnd = Google.Protobuf.ByteString.CopyFrom(end.AbiEncode());
            }
            return reply;
        }
        throw new RpcException(new Status(StatusCode.NotFound, $"transaction {request.TxIndex} of block {request.Block} is not an accepted withdrawal"));
    }

    private static Execution.Blocks.Views.MarketView RequireMarket(Execution.Blocks.Views.CommittedView view, uint id) =>
        view.TryGetMarket(id, out var market) ? market : throw new RpcException(new Status(StatusCode.NotFound, $"market {id} does not exist"));

    private static Execution.Markets.Market RequireMarket(Execution.Blocks.ExecutionEngine engine, uint id) =>
        engine.TryGetMarket(id, out var market) ? market : throw new RpcException(new Status(StatusCode.NotFound, $"market {id} does not exist"));
}
