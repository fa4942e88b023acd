using Rollup.Primitives;

namespace Rollup.Primitives.Tests.Types;

public class Hash256Tests
{
    [Fact]
    public void Parse_ToString_RoundTrip()
    {
        const string text = "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45";
        var hash = Hash256.Parse(text);
        Assert.Equal(text, hash.ToString());
        Assert.Equal(0x4e, hash.Bytes[0]);
        Assert.Equal(0x45, hash.Bytes[31]);
        Assert.Equal(hash, Hash256.Parse(text[2..].ToUpperInvariant()));
    }

    [Fact]
    public void Equals_DifferentLastByte_NotEqual()
    {
        var bytes = new byte[32];
        var a = new Hash256(bytes);
        bytes[31] = 1;
        var b = new Hash256(bytes);
        Assert.NotEqual(a, b);
        Assert.True(a.IsZero);
        Assert.False(b.IsZero);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("not hex at all")]
    [InlineData("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c4")]
    public void TryParse_BadText_Refused(string text)
    {
        Assert.False(Hash256.TryParse(text, out _));
    }

    [Fact]
    public void Constructor_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Hash256(new byte[31]));
    }
}
