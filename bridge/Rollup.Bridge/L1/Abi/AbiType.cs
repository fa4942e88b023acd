namespace Rollup.Bridge.L1;

/// <summary>
/// A Solidity ABI type, described as data so that contract bindings can be declared from signature
/// strings. Two types are equal when their canonical names are ("uint" and "uint256" are one type).
/// </summary>
/// <remarks>
/// Values, for encoding and as decoded: uintN and intN as <see cref="System.Numerics.BigInteger"/> (decoded as
/// <see cref="ulong"/> / <see cref="long"/> when N ≤ 64; any .NET integer is accepted for encoding),
/// address as <see cref="Rollup.Primitives.Address"/>, bool, bytes32 as <see cref="Rollup.Primitives.Hash256"/>
/// (a 32-byte array is accepted too), other bytesN and bytes as byte[], string as string, arrays and tuples
/// as object?[] (any list, or a C# tuple for a tuple, is accepted for encoding).
/// </remarks>
public abstract class AbiType : IEquatable<AbiType>
{
    public const int WordLength = 32;

    /// <summary>The name used in signatures: "uint256", "(uint64,bytes32)[]".</summary>
    public abstract string CanonicalName { get; }

    /// <summary>Dynamic types are encoded in the tail and referenced by an offset in the head.</summary>
    public abstract bool IsDynamic { get; }

    /// <summary>Bytes the type takes in the head: 32 for a dynamic type (its offset).</summary>
    public virtual int HeadLength => WordLength;

    public static AbiType Address { get; } = new AbiAddressType();

    public static AbiType Bool { get; } = new AbiBoolType();

    public static AbiType Bytes { get; } = new AbiBytesType();

    public static AbiType String { get; } = new AbiStringType();

    public static AbiType Bytes32 { get; } = new AbiFixedBytesType(32);

    public static AbiType UInt256 { get; } = new AbiUIntType(256);

    public static AbiType UInt(int bits) => new AbiUIntType(bits);

    public static AbiType Int(int bits) => new AbiIntType(bits);

    public static AbiType FixedBytes(int length) => new AbiFixedBytesType(length);

    public static AbiType ArrayOf(AbiType element) => new AbiArrayType(element);

    public static AbiType FixedArrayOf(AbiType element, int length) => new AbiFixedArrayType(element, length);

    public static AbiType Tuple(params IReadOnlyList<AbiType> components) => new AbiTupleType(components);

    /// <summary>Parses a type: "uint64", "bytes32[]", "(uint64,bytes32,address)[]", "tuple(bool,string)".</summary>
    public static AbiType Parse(string text) => AbiSignatureParser.ParseType(text);

    public bool Equals(AbiType? other) => other is not null && CanonicalName == other.CanonicalName;

    public override bool Equals(object? obj) => obj is AbiType other && Equals(other);

    public override int GetHashCode() => CanonicalName.GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(AbiType? left, AbiType? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(AbiType? left, AbiType? right) => !(left == right);

    public override string ToString() => CanonicalName;
}

/// <summary>uint8 .. uint256, in steps of 8 bits.</summary>
public sealed class AbiUIntType : AbiType
{
    public AbiUIntType(int bits)
    {
        Bits = AbiIntegerBits.Check(bits);
    }

    public int Bits { get; }

    public override string CanonicalName => $"uint{Bits}";

    public override bool IsDynamic => false;
}

/// <summary>int8 .. int256, in steps of 8 bits, two's complement.</summary>
public sealed class AbiIntType : AbiType
{
    public AbiIntType(int bits)
    {
        Bits = AbiIntegerBits.Check(bits);
    }

    public int Bits { get; }

    public override string CanonicalName => $"int{Bits}";

    public override bool IsDynamic => false;
}

public sealed class AbiAddressType : AbiType
{
    public override string CanonicalName => "address";

    public override bool IsDynamic => false;
}

public sealed class AbiBoolType : AbiType
{
    public override string CanonicalName => "bool";

    public override bool IsDynamic => false;
}

/// <summary>bytes1 .. bytes32: left-aligned in one word.</summary>
public sealed class AbiFixedBytesType : AbiType
{
    public AbiFixedBytesType(int length)
    {
        if (length is < 1 or > WordLength)
        {
            throw new AbiException($"bytes{length}: fixed-size byte arrays have 1 to 32 bytes");
        }
        Length = length;
    }

    public int Length { get; }

    public override string CanonicalName => $"bytes{Length}";

    public override bool IsDynamic => false;
}

/// <summary>Dynamic <c>bytes</c>.</summary>
public sealed class AbiBytesType : AbiType
{
    public override string CanonicalName => "bytes";

    public override bool IsDynamic => true;
}

/// <summary><c>string</c>: encoded as its UTF-8 bytes.</summary>
public sealed class AbiStringType : AbiType
{
    public override string CanonicalName => "string";

    public override bool IsDynamic => true;
}

/// <summary><c>T[]</c>: a length, then the elements encoded as a tuple.</summary>
public sealed class AbiArrayType(AbiType element) : AbiType
{
    public AbiType Element { get; } = element;

    public override string CanonicalName => $"{Element.CanonicalName}[]";

    public override bool IsDynamic => true;
}

/// <summary><c>T[k]</c>: k elements encoded as a tuple; dynamic when T is.</summary>
public sealed class AbiFixedArrayType : AbiType
{
    public AbiFixedArrayType(AbiType element, int length)
    {
        if (length < 1)
        {
            throw new AbiException($"{element}[{length}]: a fixed-size array has at least one element");
        }
        Element = element;
        Length = length;
    }

    public AbiType Element { get; }

    public int Length { get; }

    public override string CanonicalName => $"{Element.CanonicalName}[{Length}]";

    public override bool IsDynamic => Element.IsDynamic;

    public override int HeadLength => IsDynamic ? WordLength : checked(Length * Element.HeadLength);
}

/// <summary>A tuple (a struct): its components one after the other, dynamic ones in the tail.</summary>
public sealed class AbiTupleType : AbiType
{
    public AbiTupleType(IReadOnlyList<AbiType> components, IReadOnlyList<string?>? names = null)
    {
        if (names is not null && names.Count != components.Count)
        {
            throw new ArgumentException("one name (or null) per component", nameof(names));
        }
        Components = components.ToArray();
        Names = names?.ToArray() ?? new string?[components.Count];
        CanonicalName = $"({string.Join(',', Components.Select(c => c.CanonicalName))})";
        IsDynamic = Components.Any(c => c.IsDynamic);
        HeadLength = IsDynamic ? WordLength : Components.Sum(c => c.HeadLength);
    }

    public IReadOnlyList<AbiType> Components { get; }

    /// <summary>Component names as written in the signature (documentation only: not part of the type's identity).</summary>
    public IReadOnlyList<string?> Names { get; }

    public override string CanonicalName { get; }

    public override bool IsDynamic { get; }

    public override int HeadLength { get; }
}

internal static class AbiIntegerBits
{
    public static int Check(int bits) =>
        bits is >= 8 and <= 256 && bits % 8 == 0 ? bits : throw new AbiException($"integer width {bits}: must be 8 to 256 in steps of 8");
}
