using System.Globalization;
using System.Numerics;
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

/// <summary>Why a call reverted, decoded from its revert data. Foreign data never throws here: what does not decode is <see cref="RevertKind.Unrecognized"/>.</summary>
public sealed class RevertReason
{
    private readonly byte[] _data;

    private RevertReason(RevertKind kind, byte[] data, string? message = null, BigInteger? panicCode = null, AbiError? error = null, IReadOnlyList<object?>? arguments = null)
    {
        Kind = kind;
        _data = data;
        Message = message;
        PanicCode = panicCode;
        Error = error;
        Arguments = arguments ?? [];
    }

    public RevertKind Kind { get; }

    /// <summary>The raw revert data.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The message of an <c>Error(string)</c>.</summary>
    public string? Message { get; }

    /// <summary>The code of a <c>Panic(uint256)</c> (0x11 overflow, 0x12 division by zero, ...).</summary>
    public BigInteger? PanicCode { get; }

    /// <summary>The custom error that matched.</summary>
    public AbiError? Error { get; }

    /// <summary>The custom error's arguments.</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>Decodes revert data, trying <c>Error(string)</c>, <c>Panic(uint256)</c> and then the given custom errors.</summary>
    public static RevertReason Decode(ReadOnlySpan<byte> data, IEnumerable<AbiError>? customErrors = null)
    {
        var bytes = data.ToArray();
        if (bytes.Length == 0)
        {
            return new RevertReason(RevertKind.Empty, bytes);
        }
        try
        {
            if (AbiError.ErrorString.Matches(bytes))
            {
                return new RevertReason(RevertKind.ErrorString, bytes, message: (string?)AbiError.ErrorString.Decode(bytes)[0]);
            }
            if (AbiError.Panic.Matches(bytes))
            {
                return new RevertReason(RevertKind.Panic, bytes, panicCode: (BigInteger?)AbiError.Panic.Decode(bytes)[0]);
            }
            foreach (var error in customErrors ?? [])
            {
                if (error.Matches(bytes))
                {
                    return new RevertReason(RevertKind.CustomError, bytes, error: error, arguments: error.Decode(bytes));
                }
            }
        }
        catch (AbiException)
        {
            // The selector matched but the rest is not a valid encoding: report the data as it is.
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
        RevertKind.CustomError => $"{Error!.Name}({string.Join(", ", Arguments.Select(FormatArgument))})",
        _ => $"unrecognized revert data {Hex.ToHex(_data)}",
    };

    private static string FormatArgument(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Hex.ToHex(bytes),
        object?[] items => $"[{string.Join(", ", items.Select(FormatArgument))}]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
