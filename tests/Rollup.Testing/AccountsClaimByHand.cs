using System.Buffers.Binary;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Testing;

/// <summary>
/// What a batch claiming the accounts domain alone commits to, written out from docs/steps.md ("Claims") over a full
/// trace, with raw keccak: none of the code that computes claims (AccountsClaims, DomainClaim, BatchClaimsRoot) is used.
/// </summary>
public static class AccountsClaimByHand
{
    /// <summary>keccak256(start ‖ end ‖ u64 steps) of the trace: its first state, its last, its length.</summary>
    public static Hash256 ValueHash(AccountsTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var bytes = new byte[72];
        trace.Start.Hash().CopyTo(bytes);
        trace.End.Hash().CopyTo(bytes.AsSpan(32));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(64), (ulong)trace.Steps.Count);
        return Keccak256.Compute(bytes);
    }

    /// <summary>keccak256(u8 0 ‖ u32 0): the accounts domain's key.</summary>
    public static Hash256 Key() => Keccak256.Compute(new byte[5]);

    /// <summary>The claims root of a batch with one leaf, the accounts domain's: the leaf is the root, keccak256(0x00 ‖ key ‖ value hash).</summary>
    public static Hash256 ClaimsRoot(AccountsTrace trace)
    {
        var leaf = new byte[65];
        Key().CopyTo(leaf.AsSpan(1));
        ValueHash(trace).CopyTo(leaf.AsSpan(33));
        return Keccak256.Compute(leaf);
    }
}
