using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Fuzz.Targets;

/// <summary>
/// rollup.v1.Submission/Submit on a real sequencer behind real Kestrel, fed raw request bytes: mutations of valid
/// signed requests, and seeds signed with fields at the integer edges (prices, sizes, amounts, nonces, markets) so
/// that some get past the signature check into the engine. Each call is answered OK with exactly one more transaction
/// logged, or refused with a documented status and nothing logged; INTERNAL, UNKNOWN or UNAVAILABLE (a server bug or
/// a dead loop) is a finding. After the run every logged transaction has executed and no loop has failed.
/// </summary>
public sealed class SubmitTarget : FuzzTarget
{
    private const uint Market = 3;
    private static readonly PrivateKey Trader = ChainFlowGenerator.KeyOf(77);
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> Submit = new(MethodType.Unary, "rollup.v1.Submission", "Submit", Raw, Raw);
    private static readonly StatusCode[] Refusals =
    [
        StatusCode.InvalidArgument, StatusCode.FailedPrecondition, StatusCode.Unauthenticated, StatusCode.AlreadyExists, StatusCode.ResourceExhausted,
    ];

    private readonly TempDirectory _directory = new("rollup-fuzz-submit");
    private readonly Sequencer.Sequencer _sequencer;
    private readonly ApiTestHost _host;
    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private long _calls;
    private ulong _nextNonce = 1_000; // past every seed's own nonce

    public SubmitTarget()
    {
        var engine = new EngineOptions { ChainId = FuzzSeeds.ChainId, SettlementContract = FuzzSeeds.Contract, Operators = ChainFlowGenerator.Operators, Workers = 2 };
        _sequencer = Sequencer.Sequencer.Start(new SequencerOptions { DataDir = _directory.Path, Engine = engine, Key = ChainFlowGenerator.KeyOf(0xFFF9), BlockInterval = TimeSpan.FromMilliseconds(5) }, NullLogger.Instance);
        SetUpMarketAsync().GetAwaiter().GetResult();
        var api = ApiServices.Of(new SubmissionService(_sequencer), new QueryService(_sequencer), new StreamsService(_sequencer));
        _host = ApiTestHost.StartAsync(api.Register, api.Map).GetAwaiter().GetResult();
        _channel = _host.CreateChannel();
        _invoker = _channel.CreateCallInvoker();
        Seeds = MakeSeeds();
    }

    public override string Name => "submit";

    public override IReadOnlyList<byte[]> Seeds { get; }

    public override FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        var request = (++_calls & 1) == 0 ? ReSigned(input) : input.ToArray();
        var before = _sequencer.LoggedTransactions;
        StatusCode status;
        try
        {
            _ = _invoker.BlockingUnaryCall(Submit, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), request);
            status = StatusCode.OK;
        }
        catch (RpcException error)
        {
            status = error.StatusCode;
            if (Array.IndexOf(Refusals, status) < 0)
            {
                throw new FuzzFindingException($"answered {status}: {error.Status.Detail}");
            }
        }
        var logged = _sequencer.LoggedTransactions - before;
        if (logged != (status == StatusCode.OK ? 1UL : 0UL))
        {
            throw new FuzzFindingException($"answered {status} but the log grew by {logged}");
        }
        return status == StatusCode.OK ? FuzzOutcome.Accepted : FuzzOutcome.Rejected;
    }

    /// <summary>
    /// Every other input: a mutated request that still maps to the trader's transaction is signed again with a fresh
    /// nonce, so its mutated fields (prices, sizes, markets, enums at odd values) reach the engine past the signature
    /// check; anything else goes as it is. (So a replayed input runs the same only in the same position of a run.)
    /// </summary>
    private byte[] ReSigned(ReadOnlySpan<byte> input)
    {
        P.SubmitRequest parsed;
        try
        {
            parsed = P.SubmitRequest.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException)
        {
            return input.ToArray();
        }
        if (parsed.Transaction is null || !TransactionMapping.TryFromProto(parsed.Transaction, out var tx, out _) || tx.Account != Trader.Address
            || TransactionCodec.Validate(tx) != TxDecodeError.None)
        {
            return input.ToArray();
        }
        // Past every nonce used so far, the edge seeds' jumps (up to 2^32 ahead) included.
        var highest = _sequencer.Read(e => e.TryGetNonceWindow(Trader.Address, out var window) ? window.Highest ?? 0 : 0);
        _nextNonce = Math.Max(_nextNonce, highest + 1);
        var signed = TransactionSigning.Sign(tx with { Nonce = _nextNonce++ }, Trader, FuzzSeeds.Domain);
        return new P.SubmitRequest { Transaction = TransactionMapping.ToProto(signed), RequestId = parsed.RequestId }.ToByteArray();
    }

    public override void CheckAfterRun()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_sequencer.Read(e => e.NextSequence) < _sequencer.LoggedTransactions)
        {
            if (_sequencer.Faults.First is { } fault)
            {
                throw new FuzzFindingException($"loop {fault.Loop} failed: {fault.Reason}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new FuzzFindingException("logged transactions did not all execute within 30 s");
            }
            Thread.Sleep(10); // waiting for the block producer, which has no completion to await from here
        }
        if (_sequencer.Faults.First is { } late)
        {
            throw new FuzzFindingException($"loop {late.Loop} failed: {late.Reason}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _channel.Dispose();
            _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _sequencer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _directory.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task SetUpMarketAsync()
    {
        await _sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Trader.Address, Amount = 50_000_000_000 });
        var parameters = SampleMarkets.Perpetual("ETH-PERP", ChainFlowGenerator.Oracle, tickSize: 1_000, fundingIntervalBlocks: 1000);
        await Expect(new Transaction { Kind = TxKind.CreateMarket, Account = ChainFlowGenerator.Operator, Market = Market, Params = parameters }, ChainFlowGenerator.KeyOf(0xFFF0));
        await Expect(new Transaction { Kind = TxKind.OracleUpdate, Account = ChainFlowGenerator.Oracle, Market = Market, Price = 3_000_000_000, Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, ChainFlowGenerator.KeyOf(0xFFF1));
        await Expect(new Transaction { Kind = TxKind.TransferMargin, Account = Trader.Address, Market = Market, Amount = 20_000_000_000, ToMarket = true, Nonce = 0 }, Trader);
    }

    private async Task Expect(Transaction tx, PrivateKey key)
    {
        var result = await _sequencer.SubmitAsync(TransactionSigning.Sign(tx, key, FuzzSeeds.Domain));
        if (!result.IsAccepted)
        {
            throw new InvalidOperationException($"fuzz set-up: {tx.Kind} refused: {result.Status}");
        }
    }

    /// <summary>Valid requests of each kind the trader can sign, then the same with fields at the integer edges, signed.</summary>
    private static List<byte[]> MakeSeeds()
    {
        ulong[] edges = [0, 1, long.MaxValue, (ulong)long.MaxValue + 1, ulong.MaxValue];
        var nonce = 1UL;
        var transactions = new List<Transaction>
        {
            new() { Kind = TxKind.PlaceOrder, Account = Trader.Address, Market = Market, IsBuy = true, Price = 2_990_000_000, Size = 1_000_000, ClientOrderId = 5 },
            new() { Kind = TxKind.PlaceOrder, Account = Trader.Address, Market = Market, IsBuy = false, Price = 3_010_000_000, Size = 2_000_000, OrderKind = OrderKind.Limit, TimeInForce = TimeInForce.PostOnly },
            new() { Kind = TxKind.CancelOrder, Account = Trader.Address, Market = Market, OrderId = 1 },
            new() { Kind = TxKind.CancelAllOrders, Account = Trader.Address, Market = Market },
            new() { Kind = TxKind.TransferMargin, Account = Trader.Address, Market = Market, Amount = 1_000_000, ToMarket = false },
            new() { Kind = TxKind.Withdraw, Account = Trader.Address, Amount = 5 },
        };
        foreach (var edge in edges)
        {
            transactions.Add(new() { Kind = TxKind.PlaceOrder, Account = Trader.Address, Market = Market, IsBuy = true, Price = edge, Size = 1_000_000 });
            transactions.Add(new() { Kind = TxKind.PlaceOrder, Account = Trader.Address, Market = Market, IsBuy = false, Price = 3_000_000_000, Size = edge });
            transactions.Add(new() { Kind = TxKind.PlaceOrder, Account = Trader.Address, Market = (uint)Math.Min(edge, uint.MaxValue), IsBuy = false, Price = 3_000_000_000, Size = 1 });
            transactions.Add(new() { Kind = TxKind.Withdraw, Account = Trader.Address, Amount = edge });
            transactions.Add(new() { Kind = TxKind.TransferMargin, Account = Trader.Address, Market = Market, Amount = edge, ToMarket = true });
            transactions.Add(new() { Kind = TxKind.CancelOrder, Account = Trader.Address, Market = Market, OrderId = edge });
        }
        var seeds = new List<byte[]>();
        var buffer = new byte[TransactionCodec.MaxEncodedLength];
        foreach (var tx in transactions)
        {
            var signed = TransactionSigning.Sign(tx with { Nonce = nonce++ }, Trader, FuzzSeeds.Domain);
            seeds.Add(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(signed), RequestId = nonce }.ToByteArray());
            // The same transaction in its binary form, as SubmitRequest's `encoded` carries it.
            var length = TransactionCodec.Encode(signed, buffer);
            var encoded = new P.SubmitRequest { Transaction = new P.Transaction { Encoded = ByteString.CopyFrom(buffer, 0, length) } };
            seeds.Add(encoded.ToByteArray());
        }
        // Nonces at the edges of the replay window, and far past it.
        foreach (var edge in new ulong[] { 0, 63, 64, 65, 1UL << 32, ulong.MaxValue })
        {
            var signed = TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = Trader.Address, Amount = 1, Nonce = edge }, Trader, FuzzSeeds.Domain);
            seeds.Add(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(signed) }.ToByteArray());
        }
        return seeds;
    }
}
