using System.Text.Json;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>
/// A compiled contract from <c>bridge/contracts/artifacts</c> (embedded in this assembly): its creation code and
/// its ABI, which Nethereum reads (<see cref="ContractABI"/>) to encode calls and constructor arguments and to
/// decode custom errors, so the C# side cannot drift from the Solidity it deploys.
/// </summary>
public sealed class ContractArtifact
{
    private readonly Dictionary<string, FunctionABI> _functions;
    private readonly Dictionary<string, EventABI> _events;

    private ContractArtifact(string name, byte[] bytecode, string abiJson)
    {
        Name = name;
        Bytecode = bytecode;
        AbiJson = abiJson;
        Abi = ABIDeserialiserFactory.DeserialiseContractABI(abiJson);
        _functions = Abi.Functions.ToDictionary(f => f.Name);
        _events = Abi.Events.ToDictionary(e => e.Name);
    }

    public static ContractArtifact Settlement { get; } = Load("RollupSettlement");

    /// <summary>The settlement's escape hatch (escape, reclaimDeposit), which the settlement deploys: <c>escapeHatch()</c>.</summary>
    public static ContractArtifact EscapeHatch { get; } = Load("EscapeHatch");

    public static ContractArtifact MockUsdc { get; } = Load("MockUSDC");

    public string Name { get; }

    public byte[] Bytecode { get; }

    /// <summary>The ABI as solc wrote it, for <c>web3.Eth.GetContract(abi, address)</c>.</summary>
    public string AbiJson { get; }

    public ContractABI Abi { get; }

    public IReadOnlyList<ErrorABI> Errors => Abi.Errors;

    public FunctionABI Function(string name) =>
        _functions.TryGetValue(name, out var function) ? function : throw new KeyNotFoundException($"{Name} has no function {name}");

    public EventABI Event(string name) =>
        _events.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"{Name} has no event {name}");

    /// <summary>Calldata for <paramref name="function"/>: a tuple argument is an object[] of its components in order.</summary>
    public byte[] EncodeCall(string function, params object?[] arguments)
    {
        var abi = Function(function);
        return Hex.Parse(new FunctionCallEncoder().EncodeRequest(abi.Sha3Signature, abi.InputParameters, arguments));
    }

    /// <summary>The name of the function <paramref name="calldata"/> calls, or "call" if its selector is not this contract's.</summary>
    public string FunctionNameOf(ReadOnlySpan<byte> calldata)
    {
        var decoder = new FunctionCallDecoder();
        var hex = Hex.ToHex(calldata);
        return Abi.Functions.FirstOrDefault(f => decoder.IsDataForFunction(f, hex))?.Name ?? "call";
    }

    /// <summary>The creation code followed by the ABI-encoded constructor arguments: a deployment's data.</summary>
    public byte[] DeploymentData(params object?[] constructorArguments) =>
        Hex.Parse(Abi.Constructor is { } constructor && constructor.InputParameters.Length > 0
            ? new ConstructorCallEncoder().EncodeRequest(Hex.ToHex(Bytecode), constructor.InputParameters, constructorArguments)
            : Hex.ToHex(Bytecode));

    public static ContractArtifact Load(string name)
    {
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream($"artifacts/{name}.json")
            ?? throw new InvalidOperationException($"contract artifact {name} is not embedded (bridge/contracts/build.mjs writes it)");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return new ContractArtifact(name, Hex.Parse(root.GetProperty("bytecode").GetString()!), root.GetProperty("abi").GetRawText());
    }
}
