using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollup.Bridge.L1;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

/// <summary>A contract compiled by solc-js and deployed by our sender on anvil: calls, events (checked with cast), reverts.</summary>
public class ProbeContractTests(ProbeContractTests.ProbeFixture fixture) : IClassFixture<ProbeContractTests.ProbeFixture>
{
    private static readonly AbiEvent Noted = AbiEvent.Parse("event Noted(uint64 indexed id, address indexed who, bytes32 tag, uint256 amount, bytes note)");
    private static readonly AbiError TooLarge = AbiError.Parse("error TooLarge(uint64 given, uint64 limit)");
    private static readonly AbiFunction Count = AbiFunction.Parse("count() returns (uint64)");
    private static readonly AbiFunction Note = AbiFunction.Parse("note(uint64 id, bytes32 tag, uint256 amount, bytes calldata data)");
    private static readonly AbiFunction Echo = AbiFunction.Parse("echo((uint64 id, bytes note, address who)[] entries, string label, int64 delta) returns ((uint64,bytes,address)[], string, int64)");
    private static readonly AbiFunction Check = AbiFunction.Parse("check(uint64 x) returns (uint64)");
    private static readonly AbiFunction Fail = AbiFunction.Parse("fail(string message)");
    private static readonly AbiFunction Divide = AbiFunction.Parse("divide(uint256 a, uint256 b) returns (uint256)");

    private L1RpcClient Client => fixture.Anvil.Client;

    [Fact]
    public async Task Deploy_LandsAtTheCreateAddress_WithConstructorArguments()
    {
        Assert.Equal(ContractAddress.FromCreate(fixture.Deployer, fixture.DeployNonce), fixture.Probe);
        Assert.Equal(fixture.Probe, fixture.Deployment.Receipt.ContractAddress);
        var code = await Client.RequestAsync("eth_getCode", [fixture.Probe.ToString(), "latest"], default);
        Assert.True(code.GetString()!.Length > 2);
        var count = Count.DecodeOutput(await Client.CallAsync(new L1CallRequest { To = fixture.Probe, Data = Count.EncodeCall() }, fixture.Deployment.Receipt.BlockNumber));
        Assert.Equal(5UL, Assert.Single(count));
    }

    [Fact]
    public async Task Deploy_ConstructorReverts_SurfacesTheCustomError()
    {
        var sender = fixture.Anvil.Sender(8);
        var error = await Assert.ThrowsAsync<L1CallRevertedException>(() => sender.DeployAsync(fixture.Bytecode, AbiEncoder.Encode(AbiType.UInt(64), 1001UL)));
        var reason = error.DecodeReason([TooLarge]);
        Assert.Equal(new object[] { 1001UL, 1000UL }, reason.Arguments);
    }

    [Fact]
    public async Task Event_DecodedByUs_MatchesCast()
    {
        var sender = fixture.Anvil.Sender(7);
        var tag = Hash256.Parse("0x" + string.Concat(Enumerable.Repeat("c0ffee", 11))[..64]);
        var amount = BigInteger.Pow(2, 200) + 12345;
        byte[] note = [.. Enumerable.Range(0, 45).Select(i => (byte)(i * 7))];
        var receipt = (await sender.SendAndWaitAsync(new L1TransactionRequest { To = fixture.Probe, Data = Note.EncodeCall(42UL, tag, amount, note) })).EnsureSucceeded();

        var log = Assert.Single(receipt.Logs);
        Assert.Equal(fixture.Probe, log.Address);
        Assert.True(Noted.Matches(log));
        var values = Noted.Decode(log);
        Assert.Equal(42UL, values[0]);
        Assert.Equal(sender.Address, values[1]);
        Assert.Equal(tag, values[2]);
        Assert.Equal(amount, values[3]);
        Assert.Equal(note, values[4]);

        // cast fetches the same log on its own and decodes it with its own ABI decoder.
        var castReceipt = Cast("receipt", receipt.TransactionHash.ToString(), "--json", "--rpc-url", fixture.Anvil.Anvil.Endpoint.ToString());
        using var castJson = JsonDocument.Parse(castReceipt);
        var castLog = castJson.RootElement.GetProperty("logs")[0];
        Assert.Equal(log.Topics.Select(t => t.ToString()), castLog.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(Hex.ToHex(log.Data.Span), castLog.GetProperty("data").GetString());
        Assert.Equal(log.LogIndex, Convert.ToUInt64(castLog.GetProperty("logIndex").GetString(), 16));

        var castData = JsonNode.Parse(Cast("decode-event", "--sig", "Noted(bytes32,uint256,bytes)", Hex.ToHex(log.Data.Span), "--json"))!.AsArray();
        Assert.Equal(tag.ToString(), castData[0]!.GetValue<string>());
        Assert.Equal(amount.ToString(System.Globalization.CultureInfo.InvariantCulture), castData[1]!.ToJsonString().Trim('"'));
        Assert.Equal(Hex.ToHex(note), castData[2]!.GetValue<string>());
        var castId = JsonNode.Parse(Cast("decode-abi", "f()(uint64)", log.Topics[1].ToString(), "--json"))!.AsArray();
        Assert.Equal("42", castId[0]!.ToJsonString().Trim('"'));
        var castWho = JsonNode.Parse(Cast("decode-abi", "f()(address)", log.Topics[2].ToString(), "--json"))!.AsArray();
        Assert.Equal(sender.Address.ToString(), castWho[0]!.GetValue<string>());

        // The calldata reads back from the chain as the arguments we sent (what a validator does with batch data).
        var sent = await Client.GetTransactionByHashAsync(receipt.TransactionHash);
        Assert.Equal(new object[] { 42UL, tag, amount, note }, Note.DecodeCall(sent!.Input.Span));
    }

    [Fact]
    public async Task GetLogs_FilterByAddressAndIndexedTopic_FindsTheLog()
    {
        var sender = fixture.Anvil.Sender(9);
        var receipt = (await sender.SendAndWaitAsync(new L1TransactionRequest { To = fixture.Probe, Data = Note.EncodeCall(777UL, Hash256.Zero, BigInteger.One, Array.Empty<byte>()) })).EnsureSucceeded();

        L1LogFilter Filter(ulong id) => new()
        {
            Addresses = [fixture.Probe],
            Topics = [[Noted.Topic0], [AbiEncoder.EncodeTopic(AbiType.UInt(64), id)]],
            FromBlock = 0,
            ToBlock = BlockTag.Latest,
        };
        var logs = await Client.GetLogsAsync(Filter(777));
        var log = Assert.Single(logs);
        Assert.Equal((receipt.TransactionHash, receipt.BlockHash, false), (log.TransactionHash, log.BlockHash, log.Removed));
        Assert.Equal(777UL, Noted.Decode(log)[0]);
        Assert.Empty(await Client.GetLogsAsync(Filter(778)));
        Assert.Single(await Client.GetLogsAsync(new L1LogFilter { BlockHash = receipt.BlockHash, Topics = [null, [AbiEncoder.EncodeTopic(AbiType.UInt(64), 777UL)]] }));
    }

    [Fact]
    public async Task Call_ArraysOfDynamicStructs_RoundTripThroughSolidity()
    {
        var entries = new object[]
        {
            new object[] { 1UL, Array.Empty<byte>(), fixture.Deployer },
            new object[] { ulong.MaxValue, Enumerable.Range(0, 70).Select(i => (byte)i).ToArray(), Address.Zero },
            (3UL, new byte[] { 0xAB }, fixture.Probe),
        };
        var output = Echo.DecodeOutput(await Client.CallAsync(new L1CallRequest { To = fixture.Probe, Data = Echo.EncodeCall(entries, "naïve €", -5L) }, BlockTag.Latest));
        var echoed = (object?[])output[0]!;
        Assert.Equal(3, echoed.Length);
        Assert.Equal(new object[] { 1UL, Array.Empty<byte>(), fixture.Deployer }, (object?[])echoed[0]!);
        Assert.Equal(new object[] { ulong.MaxValue, Enumerable.Range(0, 70).Select(i => (byte)i).ToArray(), Address.Zero }, (object?[])echoed[1]!);
        Assert.Equal(new object[] { 3UL, new byte[] { 0xAB }, fixture.Probe }, (object?[])echoed[2]!);
        Assert.Equal("naïve €", output[1]);
        Assert.Equal(-5L, output[2]);
    }

    [Fact]
    public async Task Call_Reverts_AreDecoded()
    {
        Task<byte[]> Call(byte[] data) => Client.CallAsync(new L1CallRequest { To = fixture.Probe, Data = data }, BlockTag.Latest);

        Assert.Equal(7UL, Assert.Single(Check.DecodeOutput(await Call(Check.EncodeCall(7UL)))));

        var custom = await Assert.ThrowsAsync<L1CallRevertedException>(() => Call(Check.EncodeCall(11UL)));
        Assert.Equal(3, custom.Code);
        Assert.Equal(RevertKind.Unrecognized, custom.Reason.Kind);
        var reason = custom.DecodeReason([TooLarge]);
        Assert.Equal((RevertKind.CustomError, "TooLarge(11, 10)"), (reason.Kind, reason.ToString()));
        // cast agrees on the custom error's arguments.
        var castError = Cast("decode-error", "--sig", "TooLarge(uint64,uint64)", Hex.ToHex(custom.RevertData), "--json");
        Assert.Equal("[\"11\",\"10\"]", JsonNode.Parse(castError)!.AsArray().Select(n => n!.ToJsonString().Trim('"')).Aggregate("[", (a, b) => a + (a == "[" ? "" : ",") + $"\"{b}\"") + "]");

        var message = await Assert.ThrowsAsync<L1CallRevertedException>(() => Call(Fail.EncodeCall("margin too low")));
        Assert.Equal((RevertKind.ErrorString, "margin too low"), (message.Reason.Kind, message.Reason.Message));
        Assert.Contains("execution reverted: Error(\"margin too low\")", message.Message, StringComparison.Ordinal);

        var panic = await Assert.ThrowsAsync<L1CallRevertedException>(() => Call(Divide.EncodeCall(1, 0)));
        Assert.Equal((RevertKind.Panic, new BigInteger(0x12)), (panic.Reason.Kind, panic.Reason.PanicCode));

        var estimate = await Assert.ThrowsAsync<L1CallRevertedException>(() => Client.EstimateGasAsync(new L1CallRequest { To = fixture.Probe, Data = Check.EncodeCall(12UL) }));
        Assert.Equal(new object[] { 12UL, 10UL }, estimate.DecodeReason([TooLarge]).Arguments);
    }

    [Fact]
    public async Task Transaction_RevertingOnChain_FailedReceipt()
    {
        var sender = fixture.Anvil.Sender(8);
        // An explicit gas limit skips the estimate, which would have refused it.
        var receipt = await sender.SendAndWaitAsync(new L1TransactionRequest { To = fixture.Probe, Data = Check.EncodeCall(99UL), GasLimit = 100_000 });
        Assert.False(receipt.Succeeded);
        var error = Assert.Throws<L1TransactionFailedException>(() => receipt.EnsureSucceeded());
        Assert.Same(receipt, error.Receipt);
        Assert.Contains(receipt.TransactionHash.ToString(), error.Message, StringComparison.Ordinal);
    }

    private static string Cast(params string[] arguments)
    {
        var cast = RepositoryPaths.Combine("node_modules", "@foundry-rs", "cast-linux-amd64", "bin", "cast");
        var result = ExternalProcess.Run(cast, arguments, timeout: TimeSpan.FromSeconds(30));
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"cast {string.Join(' ', arguments)} failed: {result.Stderr}");
    }

    /// <summary>anvil, and Probe compiled by solc-js and deployed (constructor argument 5) by dev account 3.</summary>
    public sealed class ProbeFixture : IAsyncLifetime, IDisposable
    {
        public AnvilFixture Anvil { get; } = new();

        public byte[] Bytecode { get; private set; } = [];

        public ContractDeployment Deployment { get; private set; } = null!;

        public Address Probe => Deployment.Address;

        public Address Deployer { get; } = AnvilProcess.DevKey(3).Address;

        public ulong DeployNonce { get; private set; }

        public async Task InitializeAsync()
        {
            var source = await File.ReadAllTextAsync(RepositoryPaths.Combine("tests", "Rollup.Bridge.Tests", "L1", "Contracts", "Probe.sol"));
            var compiled = L1Oracle.Ask(new JsonObject { ["op"] = "compile", ["source"] = source, ["contract"] = "Probe" });
            Bytecode = Hex.Parse(compiled.GetProperty("bytecode").GetString()!);
            await Anvil.InitializeAsync();
            DeployNonce = await Anvil.Client.GetTransactionCountAsync(Deployer, BlockTag.Pending);
            Deployment = await Anvil.Sender(3).DeployAsync(Bytecode, AbiEncoder.Encode(AbiType.UInt(64), 5UL));
        }

        public Task DisposeAsync() => Anvil.DisposeAsync();

        public void Dispose() => Anvil.Dispose();
    }
}
