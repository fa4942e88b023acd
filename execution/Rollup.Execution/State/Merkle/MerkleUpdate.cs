using Rollup.Primitives;

namespace Rollup.Execution.State.Merkle;

/// <summary>Sets <see cref="Key"/> to <see cref="ValueHash"/>, or removes it when the value hash is zero.</summary>
public readonly record struct MerkleUpdate(Hash256 Key, Hash256 ValueHash)
{
    public bool IsRemoval => ValueHash.IsZero;

    public static MerkleUpdate Remove(in Hash256 key) => new(key, Hash256.Zero);
}
