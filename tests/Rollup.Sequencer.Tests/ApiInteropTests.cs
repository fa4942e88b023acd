using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Api;
using Rollup.Sequencer.Tests.Grpc;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>The rollup.v1 API driven by @grpc/grpc-js with orders signed by ethers' signTypedData (tests/interop/rollup/client.mjs).</summary>
public sealed class ApiInteropTests
{
    private static readonly PrivateKey Trader = ChainFlowGenerator.KeyOf(77);
    private static readonly Address Contract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    private static readonly EngineOptions Engine = new() { ChainId = 4242, SettlementContract = Contract, Operators = ChainFlowGenerator.Operators, Workers = 2 };
    private static readonly Eip712Domain Domain = RollupDomain.Create(Engine.ChainId, Contract);
    private const long Price = 3_000_000_000;

    [Fact]
    public async Task GrpcJsClient_EthersSignedOrders_AckedVisibleAndErrorsMapped()
    {
        using var directory = new TempDirectory("rollup-interop");
        await using var sequencer = Sequencer.Start(new SequencerOptions { DataDir = directory.Path, Engine = Engine, Key = ChainFlowGenerator.KeyOf(0xFFF9), BlockInterval = TimeSpan.FromMilliseconds(10) }, NullLogger.Instance);
        await using var server = await StartServer(sequencer);

        await SetUpMarket(sequencer);

        var results = await RunClient(server.Port, StandardProtos.WriteDescriptorSet(directory));
        foreach (var check in results.EnumerateObject())
        {
            Assert.True(check.Value.GetProperty("ok").GetBoolean(), $"{check.Name}: {check.Value}");
        }
        Assert.Equal(65, results.GetProperty("transfer_margin").GetProperty("signature_length").GetInt32());
        Assert.Equal(32, results.GetProperty("order").GetProperty("tx_hash_length").GetInt32());
        // ethers checked each ack's proof and recovered the signer of its root (docs/acks.md).
        var sequencerAddress = ChainFlowGenerator.KeyOf(0xFFF9).Address.ToString();
        Assert.Equal(sequencerAddress, results.GetProperty("transfer_margin").GetProperty("ack_signer").GetString(), ignoreCase: true);
        Assert.Equal(sequencerAddress, results.GetProperty("order").GetProperty("ack_signer").GetString(), ignoreCase: true);
        Assert.Equal(20, results.GetProperty("stream_acks").GetProperty("acks").GetInt32());
        Assert.Equal([sequencerAddress.ToLowerInvariant()], results.GetProperty("stream_acks").GetProperty("signers").EnumerateArray().Select(e => e.GetString()!.ToLowerInvariant()));
        Assert.Equal((int)StatusCode.AlreadyExists, results.GetProperty("replay").GetProperty("code").GetInt32());
        Assert.Equal((int)StatusCode.Unauthenticated, results.GetProperty("wrong_chain").GetProperty("code").GetInt32());
        Assert.Equal("1000000", results.GetProperty("order_book_stream").GetProperty("size").GetString());
        Assert.Equal(["42"], results.GetProperty("open_orders").GetProperty("client_order_ids").EnumerateArray().Select(e => e.GetString()));
        // An ethers-signed bulk (an array of structs): acked, then executed item by item, a refused item undoing nothing.
        var bulk = results.GetProperty("bulk");
        Assert.Equal(sequencerAddress, bulk.GetProperty("ack_signer").GetString(), ignoreCase: true);
        Assert.True(bulk.GetProperty("accepted").GetBoolean());
        Assert.Equal(["Accepted", "OrderNotFound", "Accepted", "Accepted"], bulk.GetProperty("items").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((int)StatusCode.AlreadyExists, results.GetProperty("bulk_replay").GetProperty("code").GetInt32());
        Assert.Equal((int)StatusCode.InvalidArgument, results.GetProperty("bulk_too_many").GetProperty("code").GetInt32());
        Assert.Equal((int)StatusCode.InvalidArgument, results.GetProperty("bulk_other_market").GetProperty("code").GetInt32());
        Assert.Contains("a bulk is one market", results.GetProperty("bulk_other_market").GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal((int)StatusCode.InvalidArgument, results.GetProperty("bulk_duplicate_client_id").GetProperty("code").GetInt32());
        // Nothing of the refused bulks was applied: the trader's orders are the order's (cancelled by the bulk, client id 42
        // gone), the bulk's two bids and the last bulk's one.
        var open = sequencer.Read(engine => engine.TryGetMarket(3, out var m) ? m.Orders(Trader.Address).Select(o => o.ClientOrderId).Order().ToList() : []);
        Assert.Equal([50UL, 51UL, 70UL], open);
        Assert.Equal((int)StatusCode.DeadlineExceeded, results.GetProperty("deadline").GetProperty("code").GetInt32());
        Assert.Equal((int)StatusCode.Unimplemented, results.GetProperty("unimplemented").GetProperty("code").GetInt32());
        var services = results.GetProperty("reflection").GetProperty("services").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("rollup.v1.Submission", services);
        Assert.Contains("rollup.v1.Query", services);
        Assert.Contains("rollup.v1.Streams", services);
    }

    [Fact]
    public async Task ReflectionClient_WithoutProtoFiles_ListsTheServicesAndCallsTheQueryApiThroughTheServersDescriptors()
    {
        using var directory = new TempDirectory("rollup-interop-reflection");
        await using var sequencer = Sequencer.Start(new SequencerOptions { DataDir = directory.Path, Engine = Engine, Key = ChainFlowGenerator.KeyOf(0xFFF9), BlockInterval = TimeSpan.FromMilliseconds(10) }, NullLogger.Instance);
        await using var server = await StartServer(sequencer);
        await SetUpMarket(sequencer);

        var found = await Run("node", [RepositoryPaths.Combine("tests", "interop", "rollup", "reflection.mjs"), "--target", $"127.0.0.1:{server.Port}", "--market", "3"]);
        var services = found.GetProperty("services").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "rollup.v1.Submission", "rollup.v1.Query", "rollup.v1.Streams", "grpc.health.v1.Health" }, services.ToHashSet());
        Assert.Contains("GetReceiptByHash", found.GetProperty("query_methods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([3u], found.GetProperty("market_ids").EnumerateArray().Select(e => e.GetUInt32()));
        Assert.Equal("ETH-PERP", found.GetProperty("market_symbol").GetString());
        var block = found.GetProperty("block_number").GetUInt64();
        Assert.Equal(sequencer.Read(e => e.GetBlock(block)!.StateRoot).ToString(), "0x" + found.GetProperty("state_root_hex").GetString());
    }

    [Fact]
    public async Task PythonGrpcioClient_OrderSignedByEthers_AckedStreamedAndErrorsMapped()
    {
        using var directory = new TempDirectory("rollup-interop-py");
        await using var sequencer = Sequencer.Start(new SequencerOptions { DataDir = directory.Path, Engine = Engine, Key = ChainFlowGenerator.KeyOf(0xFFF9), BlockInterval = TimeSpan.FromMilliseconds(10) }, NullLogger.Instance);
        await using var server = await StartServer(sequencer);
        await SetUpMarket(sequencer);
        Assert.True((await sequencer.SubmitAsync(TransactionSigning.Sign(new Transaction { Kind = TxKind.TransferMargin, Account = Trader.Address, Market = 3, Amount = 20_000_000_000, ToMarket = true }, Trader, Domain))).IsAccepted);

        // ethers signs the order from the documented Order type; python only carries it.
        var order = new System.Text.Json.Nodes.JsonObject
        {
            ["account"] = Trader.Address.ToChecksumString(), ["market"] = 3, ["isBuy"] = true, ["price"] = Price.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["size"] = "2000000", ["kind"] = 0, ["timeInForce"] = 0, ["reduceOnly"] = false, ["clientOrderId"] = "9", ["nonce"] = "1",
        };
        var signed = EthersOracle.Ask(new System.Text.Json.Nodes.JsonObject
        {
            ["op"] = "typedData",
            ["domain"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "Rollup", ["version"] = "1", ["chainId"] = Engine.ChainId, ["verifyingContract"] = Contract.ToChecksumString() },
            ["types"] = new System.Text.Json.Nodes.JsonObject { ["Order"] = System.Text.Json.Nodes.JsonNode.Parse(OrderTypeJson) },
            ["primaryType"] = "Order",
            ["messages"] = new System.Text.Json.Nodes.JsonArray(order.DeepClone()),
            ["keys"] = new System.Text.Json.Nodes.JsonArray(Trader.ToHexUnsafe()),
        }).GetProperty("results")[0].GetProperty("signature").GetString()!;

        var results = await Run("/usr/bin/python3", [RepositoryPaths.Combine("tests", "interop", "rollup", "client.py"), "--target", $"127.0.0.1:{server.Port}",
            "--protos", RepositoryPaths.Combine("proto", "Rollup.Proto"), "--order", order.ToJsonString(), "--signature", signed]);
        foreach (var check in results.EnumerateObject())
        {
            Assert.True(check.Value.GetProperty("ok").GetBoolean(), $"{check.Name}: {check.Value}");
        }
        Assert.Equal(7, results.GetProperty("submit").GetProperty("request_id").GetInt32());
        Assert.Equal(65, results.GetProperty("submit").GetProperty("signature_length").GetInt32());
        Assert.Equal(2_000_000, results.GetProperty("book_stream").GetProperty("size").GetInt64());
        Assert.Equal("DEADLINE_EXCEEDED", results.GetProperty("deadline").GetProperty("code").GetString());
        Assert.Equal("UNIMPLEMENTED", results.GetProperty("unimplemented").GetProperty("code").GetString());
        Assert.Equal("INVALID_ARGUMENT", results.GetProperty("bad_account").GetProperty("code").GetString());
    }

    // Written out from docs/eip712.md.
    private const string OrderTypeJson = """
        [{"name":"account","type":"address"},{"name":"market","type":"uint32"},{"name":"isBuy","type":"bool"},{"name":"price","type":"uint64"},
         {"name":"size","type":"uint64"},{"name":"kind","type":"uint8"},{"name":"timeInForce","type":"uint8"},{"name":"reduceOnly","type":"bool"},
         {"name":"clientOrderId","type":"uint64"},{"name":"nonce","type":"uint64"}]
        """;

    private static async Task SetUpMarket(Sequencer sequencer)
    {
        await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Trader.Address, Amount = 50_000_000_000 });
        var parameters = SampleMarkets.Perpetual("ETH-PERP", ChainFlowGenerator.Oracle, tickSize: 1_000, fundingIntervalBlocks: 1000);
        Assert.True((await sequencer.SubmitAsync(TransactionSigning.Sign(new Transaction { Kind = TxKind.CreateMarket, Account = ChainFlowGenerator.Operator, Market = 3, Params = parameters }, ChainFlowGenerator.KeyOf(0xFFF0), Domain))).IsAccepted);
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.True((await sequencer.SubmitAsync(TransactionSigning.Sign(new Transaction { Kind = TxKind.OracleUpdate, Account = ChainFlowGenerator.Oracle, Market = 3, Price = Price, Timestamp = now }, ChainFlowGenerator.KeyOf(0xFFF1), Domain))).IsAccepted);
    }

    /// <summary>The three services on real Kestrel at 127.0.0.1:0, hosted as a node hosts them.</summary>
    private static Task<ApiTestHost> StartServer(Sequencer sequencer)
    {
        var api = ApiServices.Of(new SubmissionService(sequencer), new QueryService(sequencer), new StreamsService(sequencer));
        return ApiTestHost.StartAsync(api.Register, api.Map);
    }

    private static Task<JsonElement> RunClient(int port, string standardDescriptors) => Run("node",
    [
        RepositoryPaths.Combine("tests", "interop", "rollup", "client.mjs"), "--target", $"127.0.0.1:{port}", "--protos", RepositoryPaths.Combine("proto", "Rollup.Proto"),
        "--grpc-descriptors", standardDescriptors,
        "--key", Trader.ToHexUnsafe(), "--chain-id", Engine.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--contract", Contract.ToChecksumString(), "--market", "3", "--price", Price.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ]);

    private static async Task<JsonElement> Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the grpc-js client did not finish: {await stderr}");
        }
        Assert.True(process.ExitCode == 0, $"client exited {process.ExitCode}: {await stderr}");
        using var document = JsonDocument.Parse(await stdout);
        return document.RootElement.Clone();
    }
}
