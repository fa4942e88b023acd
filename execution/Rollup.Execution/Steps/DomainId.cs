using System.Buffers.Binary;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps;

/// <summary>A domain of the state (docs/steps.md, "Domains"): the accounts domain, or one market's.</summary>
public readonly record struct DomainId(byte Kind, uint Market)
{
    public const byte AccountsKind = 0;
    public const byte MarketKind = 1;

    public static DomainId Accounts => new(AccountsKind, 0);

    public static DomainId OfMarket(uint market) => new(MarketKind, market);

    /// <summary>keccak256(u8 kind ‖ u32 market): the domain's key in a commitment's claims tree.</summary>
    public Hash256 Key()
    {
        Span<byte> bytes = stackalloc byte[5];
        bytes[0] = Kind;
        BinaryPrimitives.WriteUInt32BigEndian(bytes[1..], Market);
        return Keccak256.Compute(bytes);
    }

    public override string ToString() => Kind == AccountsKind ? "accounts" : $"market {Market}";
}

/// <summary>
/// A batch's domain claims (docs/steps.md, "Claims"): a sparse Merkle tree of docs/state.md, one leaf per domain the
/// batch claims, key <see cref="DomainId.Key"/>, value hash <see cref="DomainClaim.ValueHash"/>. The commitment's
/// <c>claimsRoot</c>; a dispute names one leaf of it.
/// </summary>
public static class BatchClaimsRoot
{
    public static Hash256 Compute(IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims) => Build(claims).Root;

    public static MerkleProof Prove(IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims, DomainId domain) => Build(claims).GetProof(domain.Key());

    private static SparseMerkleTree Build(IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var leaves = new MerkleUpdate[claims.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = new MerkleUpdate(claims[i].Domain.Key(), claims[i].Claim.ValueHash());
        }
        return SparseMerkleTree.InMemory(leaves);
    }
}
