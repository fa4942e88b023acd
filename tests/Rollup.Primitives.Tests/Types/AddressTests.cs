using Rollup.Primitives;

namespace Rollup.Primitives.Tests.Types;

public class AddressTests
{
    // The EIP-55 specification's own examples.
    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void ToChecksumString_Eip55Examples_RoundTrip(string checksummed)
    {
        var address = Address.Parse(checksummed);
        var mixed = checksummed[2..].Any(char.IsUpper) && checksummed[2..].Any(char.IsLower);
        if (mixed)
        {
            Assert.Equal(checksummed, address.ToChecksumString());
        }
        Assert.Equal(address, Address.Parse(checksummed.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")] // last letter's case flipped
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")] // 19 bytes
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedaa")] // 21 bytes
    [InlineData("0xZZAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("")]
    public void TryParse_BadText_Refused(string text)
    {
        Assert.False(Address.TryParse(text, out _));
    }

    [Fact]
    public void Equals_SameBytes_EqualAndSameHashCode()
    {
        var a = Address.Parse("0x52908400098527886E0F7030069857D2E4169EE7");
        var b = new Address(a.ToArray());
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Address.Zero);
        Assert.True(Address.Zero.IsZero);
    }
}
