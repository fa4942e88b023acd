using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps;

/// <summary>
/// One leaf of a step's witness: the record a key holds (empty: the key is absent) and its proof against the tree's
/// root before the step. Every step tree's value hash is keccak256 of the record (docs/steps.md).
/// </summary>
public sealed record StepLeaf(byte[] Record, MerkleProof Proof)
{
    public bool IsPresent => Record.Length > 0;

    public Hash256 ValueHash => IsPresent ? Keccak256.Compute(Record) : Hash256.Zero;

    /// <summary>Whether this leaf is what <paramref name="root"/> holds at <paramref name="key"/>.</summary>
    public bool Proves(in Hash256 root, in Hash256 key) => Proof.Verify(root, key, ValueHash);

    /// <summary>The tree's root once <paramref name="key"/> holds <paramref name="record"/> instead.</summary>
    public Hash256 RootAfterWrite(in Hash256 key, ReadOnlySpan<byte> record) => Proof.ComputeRootAfterWrite(key, Keccak256.Compute(record));
}

/// <summary>The trees a step of the accounts domain reads (docs/steps.md, "The witness, leaf by leaf").</summary>
public enum StepTree : byte
{
    Transactions = 1,
    Blocks = 2,
    Accounts = 3,
    Registry = 4,
    Withdrawals = 5,
    Outbox = 6,
    Routed = 7,
    Replies = 8,
    MarketOutbox = 9,
}

/// <summary>
/// Where a step function gets the leaves it reads: from a witness (verifying each against the state's roots), or
/// from whole trees while a trace is built (which also records the witness).
/// </summary>
public interface IStepLeafSource
{
    /// <summary>The leaf at <paramref name="key"/> of <paramref name="tree"/>, proven against <paramref name="root"/>.</summary>
    StepLeaf Read(StepTree tree, uint market, in Hash256 root, in Hash256 key);

    /// <summary>Told of every write the step makes, with the root the step computed from the proof.</summary>
    void Wrote(StepTree tree, uint market, in Hash256 key, ReadOnlySpan<byte> record, in Hash256 newRoot);
}

/// <summary>A witness or its input does not prove what the step needs: no post state exists for it.</summary>
public sealed class StepProofException(string message) : Exception(message);
