using Rollup.Primitives;

namespace Rollup.Execution.Steps;

/// <summary>Leaves from a witness, in order, each checked against the root the step names: the verifier's view.</summary>
public sealed class WitnessLeafSource(IReadOnlyList<StepLeaf> witness) : IStepLeafSource
{
    private int _next;

    /// <summary>Leaves the step read; a witness with more than that is refused by <see cref="RequireAllRead"/>.</summary>
    public int Read => _next;

    StepLeaf IStepLeafSource.Read(StepTree tree, uint market, in Hash256 root, in Hash256 key)
    {
        if (_next >= witness.Count)
        {
            throw new StepProofException($"the witness ends before leaf {_next} ({tree})");
        }
        var leaf = witness[_next];
        if (!leaf.Proves(root, key))
        {
            throw new StepProofException($"witness leaf {_next} ({tree}) does not prove its key under the state's root");
        }
        _next++;
        return leaf;
    }

    void IStepLeafSource.Wrote(StepTree tree, uint market, in Hash256 key, ReadOnlySpan<byte> record, in Hash256 newRoot)
    {
    }

    public void RequireAllRead()
    {
        if (_next != witness.Count)
        {
            throw new StepProofException($"the witness has {witness.Count} leaves, the step read {_next}");
        }
    }
}
