using Rollup.Primitives;

namespace Rollup.Execution.State.Merkle;

/// <summary>
/// Where one tree's nodes live, addressed by position: depth (0 = root) and the first <c>depth</c> bits of
/// any key below it (<paramref name="path"/>, bits past the depth ignored).
/// </summary>
public interface IMerkleNodeStore
{
    bool TryGet(int depth, in Hash256 path, out MerkleNode node);

    void Put(int depth, in Hash256 path, in MerkleNode node);

    void Delete(int depth, in Hash256 path);
}
