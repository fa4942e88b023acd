using System.Globalization;

namespace Rollup.Bridge.L1;

/// <summary>
/// Parses the human-readable forms of types and signatures:
/// <c>uint64</c>, <c>(uint64 id, bytes32 root)[]</c>,
/// <c>function postBatchData(uint64 batchIndex, uint32 part, bytes calldata data) returns (bool)</c>,
/// <c>event DepositQueued(uint64 indexed index, address indexed l2Account, uint64 amount)</c>.
/// Parameter names and data locations (memory, calldata, storage) are accepted and are not part of the signature.
/// </summary>
internal sealed class AbiSignatureParser
{
    private static readonly string[] DataLocations = ["memory", "calldata", "storage"];

    private readonly string _text;
    private int _position;

    private AbiSignatureParser(string text)
    {
        _text = text;
    }

    public static AbiType ParseType(string text)
    {
        var parser = new AbiSignatureParser(text);
        var type = parser.Type();
        parser.ExpectEnd();
        return type;
    }

    /// <summary>A name and parameter list, with an optional leading keyword and, for functions, "returns (...)".</summary>
    public static ParsedSignature ParseSignature(string text, string keyword)
    {
        var parser = new AbiSignatureParser(text);
        parser.SkipSpaces();
        var name = parser.Identifier("a name");
        if (name == keyword)
        {
            parser.SkipSpaces();
            name = parser.Identifier("a name");
        }
        var inputs = parser.ParameterList();
        IReadOnlyList<AbiParameter> outputs = [];
        parser.SkipSpaces();
        if (parser.TryKeyword("returns"))
        {
            outputs = parser.ParameterList();
        }
        parser.ExpectEnd();
        return new ParsedSignature(name, inputs, outputs);
    }

    private AbiType Type()
    {
        SkipSpaces();
        AbiType type;
        if (Peek() == '(')
        {
            type = TupleBody();
        }
        else
        {
            var name = Identifier("a type");
            type = name == "tuple" && Peek() == '(' ? TupleBody() : Elementary(name);
        }
        SkipSpaces();
        while (Peek() == '[')
        {
            _position++;
            var start = _position;
            while (char.IsAsciiDigit(Peek()))
            {
                _position++;
            }
            var digits = _text[start.._position];
            Expect(']');
            type = digits.Length == 0
                ? new AbiArrayType(type)
                : new AbiFixedArrayType(type, int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : throw Error($"array length '{digits}' is too large"));
            SkipSpaces();
        }
        return type;
    }

    private AbiTupleType TupleBody()
    {
        var parameters = ParameterList();
        return new AbiTupleType(parameters.Select(p => p.Type).ToArray(), parameters.Select(p => p.Name).ToArray());
    }

    private List<AbiParameter> ParameterList()
    {
        SkipSpaces();
        Expect('(');
        var parameters = new List<AbiParameter>();
        SkipSpaces();
        if (Peek() == ')')
        {
            _position++;
            return parameters;
        }
        while (true)
        {
            parameters.Add(Parameter());
            SkipSpaces();
            if (Peek() == ')')
            {
                _position++;
                return parameters;
            }
            Expect(',');
        }
    }

    private AbiParameter Parameter()
    {
        var type = Type();
        var indexed = false;
        string? name = null;
        SkipSpaces();
        while (IsIdentifierStart(Peek()))
        {
            var word = Identifier("a parameter name");
            if (word == "indexed" && !indexed && name is null)
            {
                indexed = true;
            }
            else if (DataLocations.Contains(word) && name is null)
            {
                // a data location says where Solidity keeps the value, not how it is encoded
            }
            else if (name is null)
            {
                name = word;
            }
            else
            {
                throw Error($"unexpected '{word}' after parameter name '{name}'");
            }
            SkipSpaces();
        }
        return new AbiParameter(type, name, indexed);
    }

    private AbiType Elementary(string name)
    {
        switch (name)
        {
            case "address":
                return AbiType.Address;
            case "bool":
                return AbiType.Bool;
            case "string":
                return AbiType.String;
            case "bytes":
                return AbiType.Bytes;
            case "uint":
                return AbiType.UInt256;
            case "int":
                return AbiType.Int(256);
        }
        if (TrySize(name, "uint", out var bits))
        {
            return AbiType.UInt(bits);
        }
        if (TrySize(name, "int", out bits))
        {
            return AbiType.Int(bits);
        }
        if (TrySize(name, "bytes", out var length))
        {
            return AbiType.FixedBytes(length);
        }
        throw Error($"unsupported type '{name}'");
    }

    private static bool TrySize(string name, string prefix, out int size)
    {
        size = 0;
        return name.StartsWith(prefix, StringComparison.Ordinal)
            && name.Length > prefix.Length
            && name[prefix.Length] != '0'
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }

    private bool TryKeyword(string keyword)
    {
        var start = _position;
        if (IsIdentifierStart(Peek()) && Identifier(keyword) == keyword)
        {
            return true;
        }
        _position = start;
        return false;
    }

    private string Identifier(string what)
    {
        var start = _position;
        if (!IsIdentifierStart(Peek()))
        {
            throw Error($"expected {what}");
        }
        while (IsIdentifierStart(Peek()) || char.IsAsciiDigit(Peek()))
        {
            _position++;
        }
        return _text[start.._position];
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"expected '{c}'");
        }
        _position++;
    }

    private void ExpectEnd()
    {
        SkipSpaces();
        if (_position != _text.Length)
        {
            throw Error("unexpected text");
        }
    }

    private void SkipSpaces()
    {
        while (char.IsWhiteSpace(Peek()))
        {
            _position++;
        }
    }

    private AbiException Error(string problem) => new($"{problem} at position {_position} of '{_text}'");

    internal sealed record ParsedSignature(string Name, IReadOnlyList<AbiParameter> Inputs, IReadOnlyList<AbiParameter> Outputs);
}
