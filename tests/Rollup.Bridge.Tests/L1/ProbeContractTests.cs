using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

/// <summary>
/// A contract compiled by solc-js and deployed by our sender on anvil, called through Nethereum with the ABI solc
/// wrote: deployment with constructor arguments, an event (checked with cast), and how each kind of revert surfaces.
/// </summary>
public class ProbeContractTests(ProbeContractTests.ProbeFixture fixture) : IClassFixture<ProbeContractTests.ProbeFixture>
{
    private L1Client Client => fixture.Anvil.Client;

    private Contract Probe => Client.Eth.GetContract(fixture.AbiJson, fixture.Address.ToString());

    [Fact]
    public async Task Deploy_LandsAtTheCreateAddress_WithConstructorArguments()
    {
        var answer = L1Oracle.Ask(new JsonObject
        {
            ["op"] = "createAddress",
            ["items"] = new JsonArray(new JsonObject { ["from"] = fixture.Deployer.ToString(), ["nonce"] = fixture.DeployNonce.ToString(CultureInfo.InvariantCulture) }),
        });
        Assert.Equal(answer.GetProperty("addresses")[0].GetString(), fixture.Address.ToString());
        var count = await Client.RunAsync("eth_call", _ => Probe.GetFunction("count").CallAsync<ulong>(new BlockParameter(fixture.Deployment.Receipt.BlockNumber)));
        Assert.Equal(5UL, count);
    }

    [Fact]
    public async Task Deploy_ConstructorReverts_SurfacesTheCustomError()
    {
        var sender = fixture.Anvil.Sender(8);
        var error = await Assert.ThrowsAsync<L1CallRevertedException>(() => sender.DeployAsync(fixture.InitCode(1001)));
        Assert.Equal("TooLarge(1001, 1000)", error.DecodeReason(fixture.Errors).ToString());
    }

    [Fact]
    public async Task Event_DecodedByNethereum_MatchesCast()
    {
        var sender = fixture.Anvil.Sender(7);
        var tag = Hash256.Parse("0x" + string.Concat(Enumerable.Repeat("c0ffee", 11))[..64]);
        var amount = BigInteger.Pow(2, 200) + 12345;
        byte[] note = [.. Enumerable.Range(0, 45).Select(i => (byte)(i * 7))];
        var data = Hex.Parse(Probe.GetFunction("note").GetData(42UL, tag.ToArray(), amount, note));
        var receipt = (await sender.SendAndWaitAsync(new L1TransactionRequest { To = fixture.Address, Data = data })).EnsureSucceeded();

        var log = Assert.Single(receipt.Logs);
        Assert.Equal(fixture.Address, Address.Parse(log.Address));
        var noted = log.DecodeEvent<NotedEvent>().Event;
        Assert.Equal((42UL, sender.Address, tag, amount), (noted.Id, Address.Parse(noted.Who), new Hash256(noted.Tag), noted.Amount));
        Assert.Equal(note, noted.Note);

        // cast fetches the same log on its own and decodes it with its own ABI decoder.
        var castReceipt = Cast("receipt", receipt.TransactionHash.ToString(), "--json", "--rpc-url", fixture.Anvil.Anvil.Endpoint.ToString());
        using var castJson = JsonDocument.Parse(castReceipt);
        var castLog = castJson.RootElement.GetProperty("logs")[0];
        Assert.Equal(log.Topics.Select(t => t.ToString()), castLog.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        var castData = JsonNode.Parse(Cast("decode-event", "--sig", "Noted(bytes32,uint256,bytes)", log.Data, "--json"))!.AsArray();
        Assert.Equal(tag.ToString(), castData[0]!.GetValue<string>());
        Assert.Equal(amount.ToString(CultureInfo.InvariantCulture), castData[1]!.ToJsonString().Trim('"'));
        Assert.Equal(Hex.ToHex(note), castData[2]!.GetValue<string>());
    }

    [Fact]
    public async Task Call_Reverts_AreDecoded()
    {
        Task<T> Call<T>(string function, params object[] arguments) => Client.RunAsync("eth_call", _ => Probe.GetFunction(function).CallAsync<T>(arguments));

        Assert.Equal(7UL, await Call<ulong>("check", 7UL));

        var custom = await Assert.ThrowsAsync<L1CallRevertedException>(() => Call<ulong>("check", 11UL));
        Assert.Equal(RevertKind.Unrecognized, custom.Reason.Kind);
        var reason = custom.DecodeReason(fixture.Errors);
        Assert.Equal((RevertKind.CustomError, "TooLarge(11, 10)"), (reason.Kind, reason.ToString()));
        // cast agrees on the custom error's arguments.
        var castError = JsonNode.Parse(Cast("decode-error", "--sig", "TooLarge(uint64,uint64)", Hex.ToHex(custom.RevertData), "--json"))!.AsArray();
        Assert.Equal(["11", "10"], castError.Select(n => n!.ToJsonString().Trim('"')));

        var message = await Assert.ThrowsAsync<L1CallRevertedException>(() => Call<object>("fail", "margin too low"));
        Assert.Equal((RevertKind.ErrorString, "margin too low"), (message.Reason.Kind, message.Reason.Message));
        Assert.Contains("execution reverted: Error(\"margin too low\")", message.Message, StringComparison.Ordinal);

        var panic = await Assert.ThrowsAsync<L1CallRevertedException>(() => Call<BigInteger>("divide", BigInteger.One, BigInteger.Zero));
        Assert.Equal((RevertKind.Panic, new BigInteger(0x12)), (panic.Reason.Kind, panic.Reason.PanicCode));
        Assert.Equal("Panic(0x12: division or modulo by zero)", panic.Reason.ToString());

        var sender = fixture.Anvil.Sender(8);
        var estimate = await Assert.ThrowsAsync<L1CallRevertedException>(() => sender.EstimateGasAsync(fixture.Address, Hex.Parse(Probe.GetFunction("check").GetData(12UL)), 0));
        Assert.Equal("TooLarge(12, 10)", estimate.DecodeReason(fixture.Errors).ToString());
    }

    [Fact]
    public async Task Transaction_RevertingOnChain_FailedReceipt()
    {
        var sender = fixture.Anvil.Sender(8);
        // An explicit gas limit skips the estimate, which would have refused it.
        var receipt = await sender.SendAndWaitAsync(new L1TransactionRequest { To = fixture.Address, Data = Hex.Parse(Probe.GetFunction("check").GetData(99UL)), GasLimit = 100_000 });
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

    [Event("Noted")]
    public sealed class NotedEvent : IEventDTO
    {
        [Parameter("uint64", "id", 1, true)]
        public ulong Id { get; set; }

        [Parameter("address", "who", 2, true)]
        public string Who { get; set; } = "";

        [Parameter("bytes32", "tag", 3, false)]
        public byte[] Tag { get; set; } = [];

        [Parameter("uint256", "amount", 4, false)]
        public BigInteger Amount { get; set; }

        [Parameter("bytes", "note", 5, false)]
        public byte[] Note { get; set; } = [];
    }

    /// <summary>anvil, and Probe compiled by solc-js and deployed (constructor argument 5) by dev account 3.</summary>
    public sealed class ProbeFixture : IAsyncLifetime, IDisposable
    {
        private ContractABI _abi = null!;
        private byte[] _bytecode = [];

        public AnvilFixture Anvil { get; } = new();

        public string AbiJson { get; private set; } = "";

        public IReadOnlyList<ErrorABI> Errors => _abi.Errors;

        public ContractDeployment Deployment { get; private set; } = null!;

        public Address Address => Deployment.Address;

        public Address Deployer { get; } = AnvilProcess.DevKey(3).Address;

        public ulong DeployNonce { get; private set; }

        public byte[] InitCode(ulong start) =>
            Hex.Parse(new Nethereum.ABI.FunctionEncoding.ConstructorCallEncoder().EncodeRequest(Hex.ToHex(_bytecode), _abi.Constructor.InputParameters, [start]));

        public async Task InitializeAsync()
        {
            var source = await File.ReadAllTextAsync(RepositoryPaths.Combine("tests", "Rollup.Bridge.Tests", "L1", "Contracts", "Probe.sol"));
            var compiled = L1Oracle.Ask(new JsonObject { ["op"] = "compile", ["source"] = source, ["contract"] = "Probe" });
            _bytecode = Hex.Parse(compiled.GetProperty("bytecode").GetString()!);
            AbiJson = compiled.GetProperty("abi").GetRawText();
            _abi = ABIDeserialiserFactory.DeserialiseContractABI(AbiJson);
            await Anvil.InitializeAsync();
            DeployNonce = await Anvil.Client.GetTransactionCountAsync(Deployer, BlockParameter.CreatePending());
            Deployment = await Anvil.Sender(3).DeployAsync(InitCode(5));
        }

        public Task DisposeAsync() => Anvil.DisposeAsync();

        public void Dispose() => Anvil.Dispose();
    }
}
