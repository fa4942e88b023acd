using System.Numerics;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.L1;

/// <summary>What the random comparison with ethers does not reach: refusals of malformed data and of values that do not fit.</summary>
public class AbiCodecTests
{
    private static readonly AbiType UInt64 = AbiType.UInt(64);

    [Fact]
    public void Encode_SpecificationExample_MatchesPublishedEncoding()
    {
        // The contract ABI specification's example: f(uint256,uint32[],bytes10,bytes) with (0x123, [0x456, 0x789], "1234567890", "Hello, world!").
        var f = AbiFunction.Parse("f(uint256,uint32[],bytes10,bytes)");
        var encoded = f.EncodeCall(new BigInteger(0x123), new object[] { 0x456u, 0x789u }, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray());
        Assert.Equal(
            "0x8be65246"
            + "0000000000000000000000000000000000000000000000000000000000000123"
            + "0000000000000000000000000000000000000000000000000000000000000080"
            + "3132333435363738393000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000000000000000000000000000000e0"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000456"
            + "0000000000000000000000000000000000000000000000000000000000000789"
            + "000000000000000000000000000000000000000000000000000000000000000d"
            + "48656c6c6f2c20776f726c642100000000000000000000000000000000000000",
            Hex.ToHex(encoded));
        var decoded = f.DecodeCall(encoded);
        Assert.Equal(new BigInteger(0x123), decoded[0]);
        Assert.Equal(new object[] { 0x456UL, 0x789UL }, (object?[])decoded[1]!);
        Assert.Equal("1234567890"u8.ToArray(), decoded[2]);
        Assert.Equal("Hello, world!"u8.ToArray(), decoded[3]);
    }

    [Fact]
    public void Encode_CSharpTupleForStruct_SameAsArray()
    {
        var type = AbiType.Parse("(uint64,bytes32,address)");
        var root = Hash256.Parse("0x" + new string('a', 64));
        var who = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        Assert.Equal(AbiEncoder.Encode(type, new object[] { 7UL, root, who }), AbiEncoder.Encode(type, (7UL, root, who)));
    }

    [Theory]
    [InlineData("uint8", 256)]
    [InlineData("uint64", -1)]
    [InlineData("int8", 128)]
    [InlineData("int8", -129)]
    public void Encode_IntegerOutOfRange_Throws(string type, long value)
    {
        var error = Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse(type), value));
        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_WrongValues_SayWhere()
    {
        var type = AbiType.Parse("(uint64,(bool,uint8)[])");
        var error = Assert.Throws<AbiException>(() => AbiEncoder.Encode(type, new object[] { 1UL, new object[] { new object[] { true, 1 }, new object[] { false, 300 } } }));
        Assert.StartsWith("[0][1][1][1] uint8: 300 is out of range", error.Message, StringComparison.Ordinal);
        Assert.Contains("bytes4 takes exactly 4 bytes", Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.FixedBytes(4), new byte[3])).Message, StringComparison.Ordinal);
        Assert.Contains("address cannot take a String", Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Address, "0x00")).Message, StringComparison.Ordinal);
        Assert.Contains("takes 2 elements, got 1", Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("bool[2]"), new object[] { true })).Message, StringComparison.Ordinal);
        Assert.Contains("2 types but 1 values", Assert.Throws<AbiException>(() => AbiEncoder.Encode([AbiType.Bool, AbiType.Bool], [true])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uint64", "0000000000000000000000000000000000000000000000010000000000000000", "out of range")]
    [InlineData("int8", "0000000000000000000000000000000000000000000000000000000000000080", "not sign-extended")]
    [InlineData("int8", "ff000000000000000000000000000000000000000000000000000000000000ff", "not sign-extended")]
    [InlineData("bool", "0000000000000000000000000000000000000000000000000000000000000002", "neither 0 nor 1")]
    [InlineData("address", "0000000000000000000000010000000000000000000000000000000000000000", "non-zero high bytes")]
    [InlineData("bytes4", "1234567800000000000000000000000000000000000000000000000000000001", "non-zero padding")]
    [InlineData("uint64", "00000000000000000000000000000000000000000000000000000000000001", "data ends")]
    public void Decode_DirtyOrShortWord_Throws(string type, string word, string expected)
    {
        var error = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse(type), Hex.Parse(word)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_BadOffsetsAndLengths_Throw()
    {
        // bytes: offset past the end
        Assert.Contains("past the end", Decoding("bytes", Words(0x40)), StringComparison.Ordinal);
        // bytes: an offset that is not a usable index
        Assert.Contains("too large", Decoding("bytes", "ff" + new string('0', 62)), StringComparison.Ordinal);
        // bytes: length longer than the data
        Assert.Contains("do not fit", Decoding("bytes", Words(0x20, 100) + new string('0', 64)), StringComparison.Ordinal);
        // bytes: non-zero bytes in the padding
        Assert.Contains("non-zero padding", Decoding("bytes", Words(0x20, 1) + "ab" + new string('0', 61) + "1"), StringComparison.Ordinal);
        // string: invalid UTF-8
        Assert.Contains("not valid UTF-8", Decoding("string", Words(0x20, 1) + "ff" + new string('0', 62)), StringComparison.Ordinal);
        // uint256[]: a length of 2^31-1 elements in a few bytes is refused before anything is allocated
        Assert.Contains("does not fit", Decoding("uint256[]", Words(0x20, 0x7fffffff)), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OffsetsSharingOneArray_CannotMultiplyTheOutput()
    {
        // uint256[][] with 64 offsets all pointing at one 64-element array: 4096 values out of ~130 words.
        const int N = 64;
        var outer = Words(0x20, N);
        var offsets = string.Concat(Enumerable.Repeat(Words(N * 32), N));
        var inner = Words(N) + string.Concat(Enumerable.Repeat(Words(7), N));
        var error = Decoding("uint256[][]", outer + offsets + inner);
        Assert.Contains("more values than", error, StringComparison.Ordinal);

        // The same data shape, honestly encoded, decodes.
        var honest = AbiEncoder.Encode(AbiType.Parse("uint256[][]"), new object[] { new object[] { 1, 2 }, new object[] { 3 } });
        Assert.Equal(2, ((object?[])AbiDecoder.Decode(AbiType.Parse("uint256[][]"), honest)!).Length);
    }

    [Fact]
    public void Decode_TrailingBytes_AreIgnored()
    {
        var data = Hex.Parse("0x" + Words(5, 6));
        Assert.Equal(5UL, AbiDecoder.Decode(UInt64, data));
    }

    [Fact]
    public void EncodeTopic_StaticValue_IsItsWord()
    {
        Assert.Equal(Hash256.Parse("0x" + Words(42)), AbiEncoder.EncodeTopic(UInt64, 42UL));
        Assert.Throws<AbiException>(() => AbiEncoder.EncodeTopic(AbiType.String, "x"));
    }

    [Fact]
    public void EventDecode_IndexedDynamicParameter_IsItsHash()
    {
        var noted = AbiEvent.Parse("Noted(string indexed label, uint64 indexed id, bool flag)");
        var labelHash = Hash256.Parse("0x" + new string('1', 64));
        var values = noted.Decode([noted.Topic0, labelHash, AbiEncoder.EncodeTopic(UInt64, 9UL)], AbiEncoder.Encode(AbiType.Bool, true));
        Assert.Equal(new object[] { labelHash, 9UL, true }, values);
        Assert.Contains("expected 3 topics, got 2", Assert.Throws<AbiException>(() => noted.Decode([noted.Topic0, labelHash], [])).Message, StringComparison.Ordinal);
        Assert.Contains("topic 0", Assert.Throws<AbiException>(() => noted.Decode([labelHash, labelHash, labelHash], AbiEncoder.Encode(AbiType.Bool, true))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RevertReason_SolidityRevertData_Decodes()
    {
        // Revert data as anvil returned it for revert("boom"), 1/0 and a custom error TooLarge(11, 10).
        var boom = RevertReason.Decode(Hex.Parse("0x08c379a000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000004626f6f6d00000000000000000000000000000000000000000000000000000000"));
        Assert.Equal((RevertKind.ErrorString, "boom"), (boom.Kind, boom.Message));
        Assert.Equal("Error(\"boom\")", boom.ToString());

        var panic = RevertReason.Decode(Hex.Parse("0x4e487b710000000000000000000000000000000000000000000000000000000000000012"));
        Assert.Equal((RevertKind.Panic, new BigInteger(0x12)), (panic.Kind, panic.PanicCode));
        Assert.Equal("Panic(0x12: division or modulo by zero)", panic.ToString());

        var tooLargeData = Hex.Parse("0xcef022ad000000000000000000000000000000000000000000000000000000000000000b000000000000000000000000000000000000000000000000000000000000000a");
        var tooLarge = AbiError.Parse("TooLarge(uint64 given, uint64 limit)");
        Assert.Equal(RevertKind.Unrecognized, RevertReason.Decode(tooLargeData).Kind);
        var custom = RevertReason.Decode(tooLargeData, [AbiError.Parse("Other()"), tooLarge]);
        Assert.Equal(RevertKind.CustomError, custom.Kind);
        Assert.Same(tooLarge, custom.Error);
        Assert.Equal(new object[] { 11UL, 10UL }, custom.Arguments);
        Assert.Equal("TooLarge(11, 10)", custom.ToString());
        Assert.Equal(tooLargeData, tooLarge.Encode(11UL, 10UL));

        Assert.Equal(RevertKind.Empty, RevertReason.Decode([]).Kind);
        // Error(string)'s selector over data that is not its encoding: reported, not thrown.
        Assert.Equal(RevertKind.Unrecognized, RevertReason.Decode(Hex.Parse("0x08c379a0ffff")).Kind);
    }

    private static string Decoding(string type, string hex) =>
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse(type), Hex.Parse("0x" + hex))).Message;

    private static string Words(params long[] values) => string.Concat(values.Select(v => v.ToString("x64", System.Globalization.CultureInfo.InvariantCulture)));
}
