using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.L1;

/// <summary>
/// A contract function from its signature, e.g.
/// <c>AbiFunction.Parse("commitBatch((uint64,uint64,uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64) c)")</c>
/// or <c>"balanceOf(address owner) returns (uint256)"</c>. Calldata is the 4-byte selector
/// (the first bytes of keccak256 of the canonical signature) followed by the encoded arguments.
/// </summary>
public sealed class AbiFunction
{
    public const int SelectorLength = 4;

    private readonly byte[] _selector;

    private AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs)
    {
        if (inputs.Any(p => p.Indexed) || outputs.Any(p => p.Indexed))
        {
            throw new AbiException($"function {name}: only event parameters can be indexed");
        }
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        CanonicalSignature = AbiSignatures.Canonical(name, inputs);
        _selector = AbiSignatures.Selector(CanonicalSignature);
    }

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Inputs { get; }

    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary>"name(type,type)": what the selector is the hash of.</summary>
    public string CanonicalSignature { get; }

    public ReadOnlySpan<byte> Selector => _selector;

    public static AbiFunction Parse(string signature)
    {
        var parsed = AbiSignatureParser.ParseSignature(signature, "function");
        return new AbiFunction(parsed.Name, parsed.Inputs, parsed.Outputs);
    }

    /// <summary>Selector ‖ encoded arguments, the data of a transaction or eth_call.</summary>
    public byte[] EncodeCall(params IReadOnlyList<object?> arguments) =>
        [.. _selector, .. AbiEncoder.Encode(Inputs.Select(p => p.Type).ToArray(), arguments)];

    /// <summary>The arguments of calldata for this function (checks the selector).</summary>
    public object?[] DecodeCall(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length < SelectorLength || !calldata[..SelectorLength].SequenceEqual(_selector))
        {
            throw new AbiException($"calldata does not start with the selector of {CanonicalSignature} ({Hex.ToHex(_selector)})");
        }
        return AbiDecoder.Decode(Inputs.Select(p => p.Type).ToArray(), calldata[SelectorLength..]);
    }

    /// <summary>The return values of a call.</summary>
    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) =>
        AbiDecoder.Decode(Outputs.Select(p => p.Type).ToArray(), returnData);

    public override string ToString() => CanonicalSignature;
}

/// <summary>What functions, events and errors share: canonical signatures and their hashes.</summary>
public static class AbiSignatures
{
    /// <summary>"name(type,type)" with canonical type names and no parameter names.</summary>
    public static string Canonical(string name, IReadOnlyList<AbiParameter> parameters) =>
        $"{name}({string.Join(',', parameters.Select(p => p.Type.CanonicalName))})";

    /// <summary>keccak256 of the canonical signature: an event's topic 0.</summary>
    public static Hash256 Hash(string canonicalSignature) => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(canonicalSignature));

    /// <summary>The first four bytes of <see cref="Hash"/>: a function's or error's selector.</summary>
    public static byte[] Selector(string canonicalSignature) => Hash(canonicalSignature).Bytes[..AbiFunction.SelectorLength].ToArray();
}
