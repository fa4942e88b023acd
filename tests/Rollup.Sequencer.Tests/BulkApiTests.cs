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
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Tests;

/// <summary>Bulks through the gRPC API: refusals with their status and nothing applied, per-item results in receipts and streams.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class BulkApiTests : IAsyncLifetime
{
    private const int MaxItems = 16;
    private const ulong Price = 60_000_000_000;
    private const ulong Tenth = 10_000_000;
    private static readonly PrivateKey SequencerKey = ChainFlowGenerator.KeyOf(0xFFF9);
    private static readonly PrivateKey Operator = ChainFlowGenerator.KeyOf(0xFFF0);
    private static readonly PrivateKey Oracle = ChainFlowGenerator.KeyOf(0xFFF1);
    private static readonly PrivateKey Alice = ChainFlowGenerator.KeyOf(1);
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };
    private static readonly Eip712Domain Domain = RollupDomain.Create(Engine.ChainId, Engine.SettlementContract);

    private readonly TempDirectory _directory = new("rollup-bulk-api");
    private Sequencer _sequencer = null!;
    private ApiTestHost _server = null!;
    private GrpcChannel _channel = null!;
    private P.Submission.SubmissionClient _submission = null!;
    private P.Query.QueryClient _query = null!;

    public async Task InitializeAsync()
    {
        var options = new SequencerOptions
        {
            DataDir = _directory.Path, Engine = Engine, Key = SequencerKey, BlockInterval = TimeSpan.FromMilliseconds(10), MaxBulkItems = MaxItems,
        };
        _sequencer = Sequencer.Start(options, NullLogger.Instance);
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
    public async Task Bulk_Refusals_EachGetsItsStatus_NothingApplied_ThenTheBulkIsAcceptedWithPerItemResults()
    {
        var blocks = new P.Streams.StreamsClient(_channel).StreamBlocks(new P.StreamBlocksRequest());
        await _sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100_000_000_000 });
        var parameters = SampleMarkets.Perpetual("BTC-PERP", Oracle.Address, tickSize: 100, fundingIntervalBlocks: 1000);
        await Submit(new Transaction { Kind = TxKind.CreateMarket, Account = Operator.Address, Market = 1, Params = parameters }, Operator, 0);
        await Submit(new Transaction { Kind = TxKind.CreateMarket, Account = Operator.Address, Market = 2, Params = parameters with { Symbol = "ETH-PERP" } }, Operator, 1);
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Submit(new Transaction { Kind = TxKind.OracleUpdate, Account = Oracle.Address, Market = 1, Price = Price, Timestamp = now }, Oracle, 0);
        await Submit(new Transaction { Kind = TxKind.TransferMargin, Account = Alice.Address, Market = 1, Amount = 50_000_000_000, ToMarket = true }, Alice, 0);

        BulkItem Ask(int i) => new() { Action = BulkAction.Place, IsBuy = false, Price = Price + (100 * (ulong)i), Size = Tenth, ClientOrderId = (ulong)i };
        var good = Signed(Bulk([Ask(1), Ask(2), new BulkItem { Action = BulkAction.Cancel, OrderId = 12345 }, Ask(3)]), nonce: 1);

        // Over this sequencer's limit of 16 (the protocol allows 64).
        var tooMany = Signed(Bulk([.. Enumerable.Range(1, MaxItems + 1).Select(Ask)]), nonce: 1);
        var refused = await Refused(new P.Transaction { Encoded = ByteString.CopyFrom(Encode(tooMany)) });
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("at most 16", refused.Status.Detail, StringComparison.Ordinal);

        // An item for another market: the typed data names every item's market, a bulk is one.
        var message = BulkMessage(good);
        message.Bulk.Items[3].Market = 2;
        refused = await Refused(message);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("items[3]: market 2", refused.Status.Detail, StringComparison.Ordinal);

        // Two orders of one bulk with one client id.
        var duplicate = Signed(Bulk([Ask(1), Ask(1) with { Price = Price + 500 }]), nonce: 1);
        refused = await Refused(BulkMessage(duplicate));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("same client order id", refused.Status.Detail, StringComparison.Ordinal);

        // None of those spent nonce 1 or placed anything: the good bulk, with nonce 1, is accepted; as proto fields (what
        // a client without the codec sends), with its ack naming the canonical encoding's hash.
        var ack = (await _submission.SubmitAsync(new P.SubmitRequest { Transaction = BulkMessage(good) })).Ack;
        Assert.Equal(TransactionHash.Of(good).ToArray(), ack.TxHash.ToByteArray());

        // A replayed bulk.
        refused = await Refused(BulkMessage(good));
        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);

        // Its block, by the stream: the bulk's receipt with one result per item.
        P.TxReceipt? receipt = null;
        while (receipt is null && await blocks.ResponseStream.MoveNext(CancellationToken.None))
        {
            receipt = blocks.ResponseStream.Current.Receipts.FirstOrDefault(r => r.Items.Count > 0);
        }
        blocks.Dispose();
        Assert.NotNull(receipt);
        Assert.True(receipt.Accepted);
        Assert.Equal([true, true, false, true], receipt.Items.Select(i => i.Accepted));
        Assert.Equal("OrderNotFound", receipt.Items[2].Rejection.Name);
        Assert.Equal([Tenth, Tenth, 0UL, Tenth], receipt.Items.Select(i => i.RestingSize));

        // The same receipt by hash, from the stored block; and the book holds exactly the three orders, once each.
        var byHash = await _query.GetReceiptByHashAsync(new P.GetReceiptByHashRequest { TxHash = ack.TxHash });
        Assert.Equal(receipt.Items, byHash.Receipt.Items);
        var book = await _query.GetOrderBookAsync(new P.GetOrderBookRequest { Market = 1, Full = true });
        Assert.Equal([1UL, 2UL, 3UL], book.AskOrders.Select(o => o.ClientOrderId).Order());
        Assert.Equal(receipt.Items.Where(i => i.Accepted).Select(i => i.OrderId).Order(), book.AskOrders.Select(o => o.OrderId).Order());
    }

    private async Task<RpcException> Refused(P.Transaction message) =>
        await Assert.ThrowsAsync<RpcException>(async () => await _submission.SubmitAsync(new P.SubmitRequest { Transaction = message }));

    private async Task Submit(Transaction tx, PrivateKey key, ulong nonce) =>
        Assert.NotNull((await _submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(TransactionSigning.Sign(tx with { Nonce = nonce }, key, Domain)) })).Ack);

    private static Transaction Bulk(BulkItem[] items) =>
        new() { Kind = TxKind.Bulk, Account = Alice.Address, Market = 1, Items = new ValueArray<BulkItem>(items) };

    private static Transaction Signed(Transaction tx, ulong nonce) => TransactionSigning.Sign(tx with { Nonce = nonce }, Alice, Domain);

    private static byte[] Encode(in Transaction tx)
    {
        var bytes = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, bytes);
        return bytes;
    }

    /// <summary>The bulk as the API's Bulk message (the typed data's fields), with its signature.</summary>
    private static P.Transaction BulkMessage(in Transaction tx)
    {
        var bulk = new P.Bulk { Account = ByteString.CopyFrom(tx.Account.Bytes), Nonce = tx.Nonce };
        foreach (var item in tx.Items!)
        {
            bulk.Items.Add(new P.BulkItem
            {
                Market = tx.Market, Action = (P.BulkAction)item.Action, OrderId = item.OrderId, IsBuy = item.IsBuy, Price = item.Price, Size = item.Size,
                Kind = (P.OrderKind)item.OrderKind, TimeInForce = (P.TimeInForce)item.TimeInForce, ReduceOnly = item.ReduceOnly, ClientOrderId = item.ClientOrderId,
            });
        }
        return new P.Transaction { Bulk = bulk, Signature = ByteString.CopyFrom(tx.Signature.Bytes) };
    }
}
