using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Tests;

/// <summary>The rollup.v1 services hosted as a node hosts them, in process (TestServer), called through Grpc.Net.Client's generated clients.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class ApiEndToEndTests : IAsyncLifetime
{
    private static readonly PrivateKey SequencerKey = ChainFlowGenerator.KeyOf(0xFFF9);
    private static readonly PrivateKey Operator = ChainFlowGenerator.KeyOf(0xFFF0);
    private static readonly PrivateKey Oracle = ChainFlowGenerator.KeyOf(0xFFF1);
    private static readonly PrivateKey Alice = ChainFlowGenerator.KeyOf(1);
    private static readonly PrivateKey Bob = ChainFlowGenerator.KeyOf(2);
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };
    private static readonly Eip712Domain Domain = RollupDomain.Create(Engine.ChainId, Engine.SettlementContract);

    private readonly TempDirectory _directory = new("rollup-api");
    private Sequencer _sequencer = null!;
    private ApiTestHost _server = null!;
    private GrpcChannel _channel = null!;
    private P.Submission.SubmissionClient _submission = null!;
    private P.Query.QueryClient _query = null!;

    public async Task InitializeAsync()
    {
        _sequencer = Sequencer.Start(new SequencerOptions { DataDir = _directory.Path, Engine = Engine, Key = SequencerKey, BlockInterval = TimeSpan.FromMilliseconds(10) }, NullLogger.Instance);
        var api = ApiServices.Of(new SubmissionService(_sequencer), new QueryService(_sequencer), new StreamsService(_sequencer));
        _server = await ApiTestHost.StartAsync(api.Register, api.Map, new ApiTestHostOptions { InProcess = true });
        _channel = _server.CreateChannel();
        _submission = new P.Submission.SubmissionClient(_channel);
        _query = new P.Query.QueryClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
        await _sequencer.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task BlockMessage_IsBuiltOncePerBlock_AndSharedByEverySubscriber()
    {
        var streams = new StreamsService(_sequencer);
        var subscription = _sequencer.Subscribe();
        await _sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 5, DepositIndex = 0 });

        BlockResult? result = null;
        while (result is null && await subscription.WaitToReadAsync())
        {
            while (subscription.TryRead(out var block))
            {
                if (block.Receipts.Length > 0)
                {
                    result = block;
                }
            }
        }
        _sequencer.Unsubscribe(subscription);
        Assert.NotNull(result);

        // Eight subscribers asking at once, as their streams reach the same block.
        var messages = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => streams.BlockMessage(result))));

        Assert.All(messages, m => Assert.Same(messages[0], m));
        Assert.Equal(1, streams.BlockMessagesBuilt);
        Assert.Equal(result.Number, messages[0].Number);
        var encoded = Assert.Single(messages[0].Transactions).Encoded;
        Assert.True(TransactionCodec.TryDecode(encoded.Span, out var deposit, out _, out _));
        Assert.Equal(Alice.Address, deposit.Account);
    }

    [Fact]
    public async Task Submit_OrdersThroughTheApi_AckedExecutedAndVisibleInQueriesAndStreams()
    {
        var streams = new P.Streams.StreamsClient(_channel);
        var blocks = streams.StreamBlocks(new P.StreamBlocksRequest());
        using var aliceEvents = streams.StreamAccount(new P.StreamAccountRequest { Account = ByteString.CopyFrom(Alice.Address.Bytes) });
        using var bobEvents = streams.StreamAccount(new P.StreamAccountRequest { Account = ByteString.CopyFrom(Bob.Address.Bytes) });
        await _sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100_000_000_000 });
        await _sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Bob.Address, Amount = 100_000_000_000, DepositIndex = 1 });

        var parameters = SampleMarkets.Perpetual("BTC-PERP", Oracle.Address, tickSize: 100, fundingIntervalBlocks: 1000);
        await Submit(new Transaction { Kind = TxKind.CreateMarket, Account = Operator.Address, Market = 1, Params = parameters }, Operator);
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Submit(new Transaction { Kind = TxKind.OracleUpdate, Account = Oracle.Address, Market = 1, Price = 60_000_000_000, Timestamp = now }, Oracle);
        await Submit(new Transaction { Kind = TxKind.TransferMargin, Account = Alice.Address, Market = 1, Amount = 50_000_000_000, ToMarket = true }, Alice);
        await Submit(new Transaction { Kind = TxKind.TransferMargin, Account = Bob.Address, Market = 1, Amount = 50_000_000_000, ToMarket = true }, Bob, nonce: 0);
        await Submit(new Transaction { Kind = TxKind.PlaceOrder, Account = Alice.Address, Market = 1, IsBuy = false, Price = 60_000_000_000, Size = 10_000_000, ClientOrderId = 5 }, Alice, nonce: 1);
        var ack = await Submit(new Transaction { Kind = TxKind.PlaceOrder, Account = Bob.Address, Market = 1, IsBuy = true, Price = 60_000_000_000, Size = 4_000_000 }, Bob, nonce: 1);

        // The ack is the sequencer's signature over a tree holding (sequence, tx hash), with its proof.
        Assert.Equal(SequencerKey.Address, AckReceipts.Signer(ack.Sequence, ack.TxHash.Span, ack.Root.Span, ack.Proof.Span, ack.Signature.Span, Domain));

        // Wait for the block that holds Bob's order, by the stream, not by time.
        var found = false;
        while (!found && await blocks.ResponseStream.MoveNext(CancellationToken.None))
        {
            found = blocks.ResponseStream.Current.Receipts.Any(r => r.FilledSize == 4_000_000);
        }
        Assert.True(found);
        blocks.Dispose();

        var account = await _query.GetAccountAsync(new P.GetAccountRequest { Account = ByteString.CopyFrom(Bob.Address.Bytes) });
        Assert.Equal(50_000_000_000, account.FreeBalance);
        Assert.Equal(4_000_000, Assert.Single(account.Positions).Size);

        var book = await _query.GetOrderBookAsync(new P.GetOrderBookRequest { Market = 1, Full = true });
        var ask = Assert.Single(book.Asks);
        Assert.Equal((60_000_000_000UL, 6_000_000UL), (ask.Price, ask.Size));
        Assert.Equal(5UL, Assert.Single(book.AskOrders).ClientOrderId);

        var root = await _query.GetStateRootAsync(new P.GetStateRootRequest());
        var proof = await _query.GetAccountProofAsync(new P.GetAccountRequest { Account = ByteString.CopyFrom(Bob.Address.Bytes) });
        Assert.Equal(root.StateRoot_, proof.StateRoot);

        // Each party sees the fill from its own side: its role, side, order and fee (notional 2,400 USDC: the
        // maker pays 100 ppm, the taker 500 ppm, rounded up).
        var makerFill = await NextFill(aliceEvents);
        var takerFill = await NextFill(bobEvents);
        Assert.Equal(("maker", false, Assert.Single(book.AskOrders).OrderId, 240_000L), (makerFill.Role, makerFill.IsBuy, makerFill.OrderId, makerFill.Amount));
        Assert.Equal(("taker", true, 1_200_000L), (takerFill.Role, takerFill.IsBuy, takerFill.Amount));
        Assert.Equal((makerFill.OrderId, makerFill.OtherOrderId), (takerFill.OtherOrderId, takerFill.OrderId));
        Assert.Equal(Bob.Address.ToArray(), makerFill.Counterparty.ToByteArray());
        Assert.Equal(Alice.Address.ToArray(), takerFill.Counterparty.ToByteArray());
        Assert.Equal((4_000_000L, 60_000_000_000L), (makerFill.Size, makerFill.Price));
    }

    private static async Task<P.AccountEvent> NextFill(AsyncServerStreamingCall<P.AccountEvent> events)
    {
        while (await events.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (events.ResponseStream.Current.Kind == "Fill")
            {
                return events.ResponseStream.Current;
            }
        }
        throw new InvalidOperationException("the account stream ended without a fill");
    }

    [Fact]
    public async Task GetWithdrawalProof_ProvesAnAcceptedWithdrawalAgainstTheBlocksOwnRoot_AndRefusesAnythingElse()
    {
        var blocks = _sequencer.Subscribe();
        await _sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 1_000 });
        await Submit(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 300 }, Alice, nonce: 0);
        await Submit(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 200 }, Alice, nonce: 1);
        BlockResult? withdrawn = null;
        while (withdrawn is null && await blocks.WaitToReadAsync())
        {
            var result = await blocks.ReadAsync();
            withdrawn = result.Withdrawals.Count > 0 ? result : null;
        }
        _sequencer.Unsubscribe(blocks);
        var withdrawal = withdrawn!.Withdrawals[0];

        var request = new P.GetWithdrawalProofRequest { FirstBlock = withdrawn.Number, LastBlock = withdrawn.Number, Block = withdrawn.Number, TxIndex = (uint)withdrawal.TxIndex };
        var proof = await _query.GetWithdrawalProofAsync(request);
        Assert.Equal(withdrawn.WithdrawalsRoot, new Hash256(proof.WithdrawalsRoot.Span));
        var path = new Execution.State.Merkle.MerkleProof([.. proof.Siblings.Select(s => new Hash256(s.Span))], ExecutionEngine.WithdrawalKey(withdrawal), ExecutionEngine.WithdrawalValueHash(withdrawal));
        Assert.True(Execution.State.Proofs.StateProofVerifier.Verify(new Execution.State.Proofs.WithdrawalProof(withdrawal with { Amount = (long)proof.Amount }, path), withdrawn.WithdrawalsRoot));
        Assert.Equal(Alice.Address, new Address(proof.Account.Span));

        var notFound = await Assert.ThrowsAsync<RpcException>(async () => await _query.GetWithdrawalProofAsync(new P.GetWithdrawalProofRequest { FirstBlock = 1, LastBlock = withdrawn.Number, Block = withdrawn.Number, TxIndex = 999 }));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        var badRange = await Assert.ThrowsAsync<RpcException>(async () => await _query.GetWithdrawalProofAsync(new P.GetWithdrawalProofRequest { FirstBlock = 5, LastBlock = 4, Block = 4 }));
        Assert.Equal(StatusCode.InvalidArgument, badRange.StatusCode);
        var future = await Assert.ThrowsAsync<RpcException>(async () => await _query.GetWithdrawalProofAsync(new P.GetWithdrawalProofRequest { FirstBlock = 1, LastBlock = 1_000_000, Block = 1 }));
        Assert.Equal(StatusCode.InvalidArgument, future.StatusCode);
    }

    [Fact]
    public async Task Submit_BadInputs_EachGetsItsStatusAndChangesNothing()
    {
        async Task<StatusCode> Status(P.SubmitRequest request)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await _submission.SubmitAsync(request));
            Assert.False(string.IsNullOrEmpty(error.Status.Detail));
            return error.StatusCode;
        }

        var good = Signed(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 1 }, Alice, 3);
        Assert.Equal(StatusCode.InvalidArgument, await Status(new P.SubmitRequest()));
        Assert.Equal(StatusCode.InvalidArgument, await Status(new P.SubmitRequest { Transaction = new P.Transaction { Encoded = ByteString.CopyFrom(1, 2, 3) } }));
        var goodMessage = TransactionMapping.ToProto(good);
        Assert.Equal(StatusCode.InvalidArgument, await Status(new P.SubmitRequest { Transaction = new P.Transaction { Withdraw = new P.Withdraw { Account = ByteString.CopyFrom(1, 2), Amount = 1 }, Signature = ByteString.CopyFrom(new byte[65]) } }));
        var tampered = good with { Amount = 2 };
        Assert.Equal(StatusCode.Unauthenticated, await Status(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(tampered) }));
        var otherChain = TransactionSigning.Sign(good, Alice, RollupDomain.Create(5, default));
        Assert.Equal(StatusCode.Unauthenticated, await Status(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(otherChain) }));

        var accepted = await _submission.SubmitAsync(new P.SubmitRequest { Transaction = goodMessage, RequestId = 9 });
        Assert.Equal(9UL, accepted.RequestId);
        Assert.Equal(StatusCode.AlreadyExists, await Status(new P.SubmitRequest { Transaction = goodMessage }));
    }

    [Fact]
    public async Task SubmitStream_ManyRequests_OneResponseEachRefusalsDoNotEndTheStream()
    {
        using var call = _submission.SubmitStream();
        for (var i = 0; i < 200; i++)
        {
            // Every tenth reuses a nonce: refused, and the stream goes on.
            var nonce = (ulong)(i % 10 == 9 ? i - 1 : i);
            await call.RequestStream.WriteAsync(new P.SubmitRequest { RequestId = (ulong)i, Transaction = TransactionMapping.ToProto(Signed(new Transaction { Kind = TxKind.Withdraw, Account = Bob.Address, Amount = 1 }, Bob, nonce)) });
        }
        await call.RequestStream.CompleteAsync();
        var responses = new List<P.SubmitResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            responses.Add(call.ResponseStream.Current);
        }
        Assert.Equal(200, responses.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(20, responses.Count(r => r.Rejection is not null));
        Assert.All(responses.Where(r => r.Rejection is not null), r => Assert.Equal("Replayed", r.Rejection.Name));
    }

    [Fact]
    public async Task SubmitStream_AnUndecodableMessage_AnswersWhatCameBeforeThenEndsInvalidArgumentNamingIt()
    {
        // The stream's messages as raw bytes, so that the third can be what no SubmitRequest decodes from (a field
        // tag with a wire type protobuf does not have) while the gRPC framing around it stays intact.
        var bytes = new Marshaller<byte[]>(b => b, b => b);
        var method = new Method<byte[], P.SubmitResponse>(MethodType.DuplexStreaming, "rollup.v1.Submission", "SubmitStream", bytes, Marshallers.Create(m => m.ToByteArray(), P.SubmitResponse.Parser.ParseFrom));
        using var call = _channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null, new CallOptions());
        for (var i = 0; i < 2; i++)
        {
            var tx = Signed(new Transaction { Kind = TxKind.Withdraw, Account = Bob.Address, Amount = 1 }, Bob, (ulong)(500 + i));
            await call.RequestStream.WriteAsync(new P.SubmitRequest { RequestId = (ulong)i, Transaction = TransactionMapping.ToProto(tx) }.ToByteArray());
        }
        await call.RequestStream.WriteAsync([0x0F, 0x01, 0x02]);
        var after = Signed(new Transaction { Kind = TxKind.Withdraw, Account = Bob.Address, Amount = 1 }, Bob, 502);
        await call.RequestStream.WriteAsync(new P.SubmitRequest { RequestId = 3, Transaction = TransactionMapping.ToProto(after) }.ToByteArray());
        await call.RequestStream.CompleteAsync();

        var responses = new List<P.SubmitResponse>();
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                responses.Add(call.ResponseStream.Current);
            }
        });
        Assert.Equal(StatusCode.InvalidArgument, ended.StatusCode);
        Assert.Contains("message 3", ended.Status.Detail, StringComparison.Ordinal);
        // The two before it were admitted and answered; the one after it was never read.
        Assert.Equal([0UL, 1UL], responses.Select(r => r.RequestId).Order());
        Assert.All(responses, r => Assert.NotNull(r.Ack));
        // Nothing after the bad message was admitted: its nonce is still free.
        var later = await _submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(after) });
        Assert.NotNull(later.Ack);
    }

    [Fact]
    public async Task SubmitStream_BurstsInOneWrite_AdmittedInStreamOrder()
    {
        using var call = _submission.SubmitStream();
        // Each burst arrives at once and is admitted as a batch. Nonces rise by 100: in stream order each is the
        // account's new highest; any reordering would put one more than the 64-nonce window below another: too old.
        var requests = new List<P.SubmitRequest>();
        for (var i = 0; i < 300; i++)
        {
            var tx = Signed(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 1 }, Alice, (ulong)(i * 100));
            requests.Add(new P.SubmitRequest { RequestId = (ulong)i, Transaction = TransactionMapping.ToProto(tx) });
        }
        foreach (var burst in requests.Chunk(50))
        {
            await call.RequestStream.WriteManyAsync(burst);
        }
        await call.RequestStream.CompleteAsync();
        var responses = new List<P.SubmitResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            responses.Add(call.ResponseStream.Current);
        }
        Assert.Equal(300, responses.Count);
        Assert.All(responses, r => Assert.Null(r.Rejection));
        // Sequence numbers follow request order.
        var bySequence = responses.OrderBy(r => r.Ack.Sequence).Select(r => r.RequestId).ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (ulong)i), bySequence);
    }

    [Fact]
    public async Task Query_UnknownThings_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _query.GetMarketAsync(new P.GetMarketRequest { Market = 77 }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        error = await Assert.ThrowsAsync<RpcException>(async () => await _query.GetAccountAsync(new P.GetAccountRequest { Account = ByteString.CopyFrom(new byte[19]) }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    /// <summary>
    /// Margin moved out of a market is held for it (docs/state.md, "Held credits"): the account shows it, and moving it
    /// into another market is refused FundsHeld with its reason, while the rest of the free balance moves.
    /// </summary>
    [Fact]
    public async Task GetAccount_AfterMarginMovedOut_ShowsItHeldAndAnotherMarketRefusesIt()
    {
        var blocks = new P.Streams.StreamsClient(_channel).StreamBlocks(new P.StreamBlocksRequest());
        await _sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Bob.Address, Amount = 100_000_000_000 });
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (uint market = 1; market <= 2; market++)
        {
            await Submit(new Transaction { Kind = TxKind.CreateMarket, Account = Operator.Address, Market = market, Params = SampleMarkets.Perpetual($"M{market}-PERP", Oracle.Address, tickSize: 100, fundingIntervalBlocks: 1000) }, Operator, nonce: market);
            await Submit(new Transaction { Kind = TxKind.OracleUpdate, Account = Oracle.Address, Market = market, Price = 60_000_000_000, Timestamp = now }, Oracle, nonce: market);
        }
        await Submit(new Transaction { Kind = TxKind.TransferMargin, Account = Bob.Address, Market = 1, Amount = 50_000_000_000, ToMarket = true }, Bob, nonce: 0);
        var outAck = await Submit(new Transaction { Kind = TxKind.TransferMargin, Account = Bob.Address, Market = 1, Amount = 20_000_000_000, ToMarket = false }, Bob, nonce: 1);
        var (outBlock, moved) = await ReceiptOf(blocks, outAck);
        Assert.True(moved.Accepted, moved.Rejection?.Name);
        // Credited after its block's markets ran: now 70,000 free, 20,000 of it held for market 1, so 60,000 into
        // market 2 would draw 10,000 of the held.
        var intoAck = await Submit(new Transaction { Kind = TxKind.TransferMargin, Account = Bob.Address, Market = 2, Amount = 60_000_000_000, ToMarket = true }, Bob, nonce: 2);
        var (_, refused) = await ReceiptOf(blocks, intoAck);
        blocks.Dispose();
        Assert.False(refused.Accepted);
        Assert.NotNull(refused.Rejection);
        Assert.Equal((uint)TxStatus.FundsHeld, refused.Rejection.Code);
        Assert.Equal(TxStatusReasons.Of(TxStatus.FundsHeld), refused.Rejection.Reason);

        var account = await _query.GetAccountAsync(new P.GetAccountRequest { Account = ByteString.CopyFrom(Bob.Address.Bytes) });
        Assert.Equal(70_000_000_000, account.FreeBalance);
        // Only what is held shows: market 2's refused transfer left no entry, and market 1's holds the 20,000.
        var held = Assert.Single(account.Held);
        Assert.Equal((1u, outBlock, 20_000_000_000L), (held.Market, held.Block, held.Amount));
    }

    /// <summary>The block holding the acked transaction and its receipt, read from the block stream.</summary>
    private static async Task<(ulong Block, P.TxReceipt Receipt)> ReceiptOf(AsyncServerStreamingCall<P.Block> blocks, P.Ack ack)
    {
        while (await blocks.ResponseStream.MoveNext(CancellationToken.None))
        {
            var block = blocks.ResponseStream.Current;
            foreach (var receipt in block.Receipts)
            {
                if (receipt.TxHash == ack.TxHash)
                {
                    return (block.Number, receipt);
                }
            }
        }
        throw new InvalidOperationException("the block stream ended before the transaction's block");
    }

    private async Task<P.Ack> Submit(Transaction tx, PrivateKey key, ulong nonce = 0)
    {
        var response = await _submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(Signed(tx, key, nonce)) });
        return response.Ack;
    }

    private static Transaction Signed(Transaction tx, PrivateKey key, ulong nonce) => TransactionSigning.Sign(tx with { Nonce = nonce }, key, Domain);
}
