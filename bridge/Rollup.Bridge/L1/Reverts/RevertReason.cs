using System.Globalization;
using System.Numerics;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

public enum RevertKind
{
    /// <summary>No data: <c>revert()</c>, <c>require(condition)</c> without a message, or out of gas.</summary>
    Empty,

    /// <summary><c>Error(string)</c>.</summary>
    ErrorString,

    /// <summary><c>Panic(uint256)</c>.</summary>
    Panic,

    /// <summary>One of the custom errors the caller named.</summary>
    CustomError,

    /// <summary>Data that matches none of the above (or does not decode as what its selector claims).</summary>
    Unrecognized,
}

/// <summary>
/// Why a call reverted, decoded by Nethereum from the revert data against Error(string), Panic(uint256) and the
/// contract's custom errors (ErrorABI from the compiled artifact). Foreign data never throws: it is <see cref="RevertKind.Unrecognized"/>.
/// </summary>
public sealed class RevertReason
{
    private static readonly ErrorABI[] Builtins = ABIDeserialiserFactory.DeserialiseContractABI(
        """[{"type":"error","name":"Error","inputs":[{"type":"string","name":"message"}]},{"type":"error","name":"Panic","inputs":[{"type":"uint256","name":"code"}]}]""").Errors;

    private readonly byte[] _data;

    private RevertReason(RevertKind kind, byte[] data, string? name = null, IReadOnlyList<object?>? arguments = null)
    {
        Kind = kind;
        _data = data;
        Name = name;
        Arguments = arguments ?? [];
    }

    public RevertKind Kind { get; }

    /// <summary>The raw revert data.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The error's name (Error, Panic or the custom error's).</summary>
    public string? Name { get; }

    /// <summary>The error's arguments as Nethereum decodes them (string, BigInteger, byte[], address as string, ...).</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>The message of an <c>Error(string)</c>.</summary>
    public string? Message => Kind == RevertKind.ErrorString ? (string?)Arguments[0] : null;

    /// <summary>The code of a <c>Panic(uint256)</c> (0x11 overflow, 0x12 division by zero, ...).</summary>
    public BigInteger? PanicCode => Kind == RevertKind.Panic ? (BigInteger)Arguments[0]! : null;

    public static RevertReason Decode(ReadOnlySpan<byte> data, IEnumerable<ErrorABI>? customErrors = null)
    {
        var bytes = data.ToArray();
        if (bytes.Length == 0)
        {
            return new RevertReason(RevertKind.Empty, bytes);
        }
        var hex = Hex.ToHex(bytes);
        var decoder = new FunctionCallDecoder();
        foreach (var error in Builtins.Concat(customErrors ?? []))
        {
            if (!decoder.IsDataForError(error, hex))
            {
                continue;
            }
            try
            {
                var arguments = decoder.DecodeError(error, hex).OrderBy(p => p.Parameter.Order).Select(p => p.Result).ToArray();
                var kind = ReferenceEquals(error, Builtins[0]) ? RevertKind.ErrorString : ReferenceEquals(error, Builtins[1]) ? RevertKind.Panic : RevertKind.CustomError;
                return new RevertReason(kind, bytes, error.Name, arguments);
            }
#pragma warning disable CA1031 // the selector matched but the rest is not a valid encoding: report the data as it is
            catch (Exception)
#pragma warning restore CA1031
            {
                break;
            }
        }
        return new RevertReason(RevertKind.Unrecognized, bytes);
    }

    /// <summary>What Solidity's panic codes mean (Solidity documentation, "Panic via assert and Error via require").</summary>
    public static string DescribePanic(BigInteger code) => (int)BigInteger.Min(code, int.MaxValue) switch
    {
        0x00 => "generic compiler panic",
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "conversion to an enum out of range",
        0x22 => "incorrectly encoded storage byte array",
        0x31 => "pop() on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "too much memory allocated",
        0x51 => "call to a zero-initialized function variable",
        _ => "unknown panic code",
    };

    public override string ToString() => Kind switch
    {
        RevertKind.Empty => "reverted without data",
        RevertKind.ErrorString => $"Error(\"{Message}\")",
        RevertKind.Panic => $"Panic(0x{PanicCode!.Value.ToString("x2", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(2, '0')}: {DescribePanic(PanicCode.Value)})",
        RevertKind.CustomError => $"{Name}({string.Join(", ", Arguments.Select(FormatArgument))})",
        _ => $"unrecognized revert data {Hex.ToHex(_data)}",
    };

    private static string FormatArgument(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Hex.ToHex(bytes),
        string text when Address.TryParse(text, out var address) => address.ToString(),
        System.Collections.IEnumerable items and not string => $"[{string.Join(", ", items.Cast<object?>().Select(FormatArgument))}]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
