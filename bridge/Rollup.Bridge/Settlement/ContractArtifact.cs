using System.Text;
using System.Text.Json;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>
/// A compiled contract from <c>bridge/contracts/artifacts</c> (embedded in this assembly): its creation code and
/// its ABI, from which every function, event and error is bound by name, so the C# side cannot drift from the
/// Solidity it deploys.
/// </summary>
public sealed class ContractArtifact
{
    private readonly Dictionary<string, AbiFunction> _functions = [];
    private readonly Dictionary<string, AbiEvent> _events = [];
    private readonly List<AbiError> _errors = [];

    private ContractArtifact(string name, byte[] bytecode, JsonElement abi)
    {
        Name = name;
        Bytecode = bytecode;
        foreach (var entry in abi.EnumerateArray())
        {
            var kind = entry.GetProperty("type").GetString();
            switch (kind)
            {
                case "function":
                    var function = AbiFunction.Parse($"{entry.GetProperty("name").GetString()}({Parameters(entry, "inputs", indexed: false)}) returns ({Parameters(entry, "outputs", indexed: false)})");
                    _functions.Add(function.Name, function);
                    break;
                case "event":
                    var e = AbiEvent.Parse($"{entry.GetProperty("name").GetString()}({Parameters(entry, "inputs", indexed: true)})");
                    _events.Add(e.Name, e);
                    break;
                case "error":
                    _errors.Add(AbiError.Parse($"{entry.GetProperty("name").GetString()}({Parameters(entry, "inputs", indexed: false)})"));
                    break;
                case "constructor":
                    ConstructorTypes = AbiFunction.Parse($"constructor({Parameters(entry, "inputs", indexed: false)})").Inputs.Select(p => p.Type).ToArray();
                    break;
            }
        }
    }

    public static ContractArtifact Settlement { get; } = Load("RollupSettlement");

    public static ContractArtifact MockUsdc { get; } = Load("MockUSDC");

    public string Name { get; }

    public byte[] Bytecode { get; }

    /// <summary>The constructor's parameter types (none if it has no constructor).</summary>
    public IReadOnlyList<AbiType> ConstructorTypes { get; } = [];

    public IReadOnlyList<AbiError> Errors => _errors;

    public AbiFunction Function(string name) =>
        _functions.TryGetValue(name, out var function) ? function : throw new KeyNotFoundException($"{Name} has no function {name}");

    /// <summary>The name of the function <paramref name="calldata"/> calls, or "call" if its selector is not this contract's.</summary>
    public string FunctionNameOf(ReadOnlySpan<byte> calldata)
    {
        foreach (var function in _functions.Values)
        {
            if (calldata.StartsWith(function.Selector))
            {
                return function.Name;
            }
        }
        return "call";
    }

    public AbiEvent Event(string name) =>
        _events.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"{Name} has no event {name}");

    /// <summary>The ABI-encoded constructor arguments, to follow the creation code.</summary>
    public byte[] EncodeConstructor(params IReadOnlyList<object?> arguments) => AbiEncoder.Encode(ConstructorTypes, arguments);

    public static ContractArtifact Load(string name)
    {
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream($"artifacts/{name}.json")
            ?? throw new InvalidOperationException($"contract artifact {name} is not embedded (bridge/contracts/build.mjs writes it)");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return new ContractArtifact(name, Hex.Parse(root.GetProperty("bytecode").GetString()!), root.GetProperty("abi").Clone());
    }

    private static string Parameters(JsonElement entry, string property, bool indexed)
    {
        if (!entry.TryGetProperty(property, out var list))
        {
            return "";
        }
        var text = new StringBuilder();
        foreach (var parameter in list.EnumerateArray())
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(TypeOf(parameter));
            if (indexed && parameter.TryGetProperty("indexed", out var flag) && flag.GetBoolean())
            {
                text.Append(" indexed");
            }
        }
        return text.ToString();
    }

    /// <summary>solc writes a struct as "tuple" (or "tuple[]") with its components alongside.</summary>
    private static string TypeOf(JsonElement parameter)
    {
        var type = parameter.GetProperty("type").GetString()!;
        if (!type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return type;
        }
        var components = new StringBuilder("(");
        foreach (var component in parameter.GetProperty("components").EnumerateArray())
        {
            if (components.Length > 1)
            {
                components.Append(',');
            }
            components.Append(TypeOf(component));
        }
        return components.Append(')').Append(type["tuple".Length..]).ToString();
    }
}
