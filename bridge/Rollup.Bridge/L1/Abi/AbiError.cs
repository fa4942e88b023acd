using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>
/// A Solidity custom error from its signature, e.g. <c>AbiError.Parse("OverdueDeposit(uint64 index)")</c>:
/// revert data is its 4-byte selector followed by the encoded arguments, like calldata.
/// </summary>
public sealed class AbiError
{
    private readonly byte[] _selector;

    private AbiError(string name, IReadOnlyList<AbiParameter> parameters)
    {
        Name = name;
        Parameters = parameters;
        CanonicalSignature = AbiSignatures.Canonical(name, parameters);
        _selector = AbiSignatures.Selector(CanonicalSignature);
    }

    /// <summary><c>Error(string)</c>: what <c>require(condition, "message")</c> and <c>revert("message")</c> produce.</summary>
    public static AbiError ErrorString { get; } = Parse("Error(string message)");

    /// <summary><c>Panic(uint256)</c>: what failed assertions, overflow, division by zero and bad indexes produce.</summary>
    public static AbiError Panic { get; } = Parse("Panic(uint256 code)");

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Parameters { get; }

    public string CanonicalSignature { get; }

    public ReadOnlySpan<byte> Selector => _selector;

    public static AbiError Parse(string signature)
    {
        var parsed = AbiSignatureParser.ParseSignature(signature, "error");
        if (parsed.Outputs.Count != 0 || parsed.Inputs.Any(p => p.Indexed))
        {
            throw new AbiException($"error {parsed.Name}: errors have neither return values nor indexed parameters");
        }
        return new AbiError(parsed.Name, parsed.Inputs);
    }

    public bool Matches(ReadOnlySpan<byte> revertData) =>
        revertData.Length >= AbiFunction.SelectorLength && revertData[..AbiFunction.SelectorLength].SequenceEqual(_selector);

    /// <summary>The arguments in the revert data (checks the selector).</summary>
    public object?[] Decode(ReadOnlySpan<byte> revertData)
    {
        if (!Matches(revertData))
        {
            throw new AbiException($"revert data does not start with the selector of {CanonicalSignature} ({Hex.ToHex(_selector)})");
        }
        return AbiDecoder.Decode(Parameters.Select(p => p.Type).ToArray(), revertData[AbiFunction.SelectorLength..]);
    }

    /// <summary>Revert data for this error: selector ‖ encoded arguments.</summary>
    public byte[] Encode(params IReadOnlyList<object?> arguments) =>
        [.. _selector, .. AbiEncoder.Encode(Parameters.Select(p => p.Type).ToArray(), arguments)];

    public override string ToString() => CanonicalSignature;
}
