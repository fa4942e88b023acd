using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.L1;

/// <summary>Where a contract lands when created by a transaction (CREATE): keccak256(rlp([sender, nonce]))[12:].</summary>
public static class ContractAddress
{
    public static Address FromCreate(Address sender, ulong nonce)
    {
        var hash = Keccak256.Compute(Rlp.EncodeList(Rlp.EncodeBytes(sender.Bytes), Rlp.EncodeUInt(nonce)));
        return new Address(hash.Bytes[12..]);
    }
}
