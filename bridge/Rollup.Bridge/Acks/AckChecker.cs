using Rollup.Bridge.Batches;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Acks;
using Rollup.Execution.Blocks;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;

namespace Rollup.Bridge.Acks;

/// <summary>
/// The check a third party runs on an ack from the ack alone and public L1 data (docs/acks.md, "Checking an ack
/// against L1"): the ack's own proof and signature against the settlement's sequencer, the committed batch whose range
/// holds its sequence, that batch's posted data decoded as a validator decodes it, the transaction tree rebuilt from
/// the data and compared with the committed root, and the posted transaction at the sequence compared with the ack's.
/// A violation comes with the proof <see cref="AckSlashingClient.SlashAsync"/> submits.
/// </summary>
public sealed class AckChecker
{
    private readonly SettlementClient _settlement;
    private readonly Eip712Domain _domain;
    private readonly BatchLimits _limits;

    /// <param name="domain">The Rollup domain the sequencer signs in: the L2 chain id and the settlement contract.</param>
    public AckChecker(SettlementClient settlement, Eip712Domain domain, BatchLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(domain);
        _settlement = settlement;
        _domain = domain;
        _limits = limits ?? BatchLimits.Default;
    }

    public async Task<AckVerdict> CheckAsync(SignedAck ack, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (!AckSigning.TryRecoverSigner(ack.Sequence, ack.TxHash, ack.Root, ack.Proof, ack.Signature, _domain, out var signer, out var error))
        {
            return new AckVerdict(AckVerdictKind.InvalidAck, error!);
        }
        var sequencer = await _settlement.GetSequencerAsync(cancellation).ConfigureAwait(false);
        if (signer != sequencer)
        {
            return new AckVerdict(AckVerdictKind.InvalidAck, $"the root is signed by {signer}, the settlement's sequencer is {sequencer}");
        }

        if (await _settlement.FindBatchBySequenceAsync(ack.Sequence, cancellation).ConfigureAwait(false) is not { } found)
        {
            return new AckVerdict(AckVerdictKind.NotYetPosted, $"no committed batch's range holds sequence {ack.Sequence} yet");
        }
        var batchIndex = found.BatchIndex;
        if (await _settlement.GetCommittedBatchAsync(batchIndex, cancellation).ConfigureAwait(false) is not { } committed)
        {
            return new AckVerdict(AckVerdictKind.NotYetPosted, $"batch {batchIndex} holds sequence {ack.Sequence} but is not yet confirmed on L1");
        }
        if (TransactionTree(committed) is not { } tree)
        {
            return new AckVerdict(AckVerdictKind.DataDisagrees, $"batch {batchIndex}'s posted data does not decode to the transactions its commitment's root is over");
        }

        var key = BatchTransactionRoot.Key(ack.Sequence);
        var proof = tree.GetProof(key);
        var final = await _settlement.IsFinalizedAsync(batchIndex, cancellation).ConfigureAwait(false);
        if (proof.LeafKey == key)
        {
            if (proof.LeafValueHash == ack.TxHash)
            {
                return new AckVerdict(AckVerdictKind.Kept, $"batch {batchIndex} holds the ack's transaction at sequence {ack.Sequence}");
            }
            return new AckVerdict(
                AckVerdictKind.Equivocation,
                $"batch {batchIndex} holds transaction {proof.LeafValueHash} at sequence {ack.Sequence}, the ack promises {ack.TxHash}",
                new AckEvidence(batchIndex, proof.LeafValueHash, Hash256.Zero, Hash256.Zero, proof.Siblings, final));
        }
        return new AckVerdict(
            AckVerdictKind.Omission,
            $"batch {batchIndex}'s range holds sequence {ack.Sequence} but its transactions do not" + (final ? "" : " (slashable once the batch is final)"),
            new AckEvidence(batchIndex, Hash256.Zero, proof.LeafKey, proof.LeafValueHash, proof.Siblings, final));
    }

    /// <summary>The tree of the posted transactions by sequence, or null when the data does not hash to the commitment, does not decode, or its tree is not the committed root.</summary>
    private SparseMerkleTree? TransactionTree(Validation.CommittedBatch committed)
    {
        var c = committed.Commitment;
        if (BatchParts.DataHash(committed.Parts) != c.BatchDataHash)
        {
            return null;
        }
        L2Batch batch;
        try
        {
            batch = BatchFrame.Decode(BatchParts.Join(committed.Parts, _limits), _limits);
        }
        catch (BatchFormatException)
        {
            return null;
        }
        var leaves = new List<MerkleUpdate>();
        foreach (var block in batch.Blocks)
        {
            foreach (var tx in block.Transactions)
            {
                leaves.Add(new MerkleUpdate(BatchTransactionRoot.Key(c.FirstSequence + (ulong)leaves.Count), TransactionHash.Of(tx)));
            }
        }
        var tree = SparseMerkleTree.InMemory(leaves.ToArray());
        return tree.Root == c.TxRoot ? tree : null;
    }
}
