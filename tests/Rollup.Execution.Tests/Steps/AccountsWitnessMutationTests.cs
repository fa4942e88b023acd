using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Steps;

/// <summary>
/// A step's witness changed in one place no longer yields a post state: the step function refuses it
/// (StepProofException), as L1's verifier reverts. Each mutation on every step that has a leaf to mutate.
/// </summary>
public sealed class AccountsWitnessMutationTests : IClassFixture<AccountsWitnessMutationTests.TracedChain>
{
    private readonly TracedChain _chain;

    public AccountsWitnessMutationTests(TracedChain chain) => _chain = chain;

    [Fact]
    public void Witness_OneSiblingBitFlipped_Refused() =>
        EveryLeaf((leaf, _) => leaf.Proof.Siblings.Count > 0,
            (leaf, _) => leaf with { Proof = leaf.Proof with { Siblings = Flip(leaf.Proof.Siblings, leaf.Proof.Siblings.Count - 1) } });

    [Fact]
    public void Witness_RecordChanged_Refused() =>
        EveryLeaf((leaf, _) => leaf.IsPresent, (leaf, _) => leaf with { Record = FlipLastBit(leaf.Record) });

    [Fact]
    public void Witness_PresentLeafClaimedAbsent_Refused() =>
        EveryLeaf((leaf, _) => leaf.IsPresent, (leaf, _) => leaf with { Record = [] });

    [Fact]
    public void Witness_ProofOfAnotherKey_Refused()
    {
        // Another leaf of the same step: a real proof, in the same or another tree, for the wrong key.
        EveryLeaf((_, step) => step.Witness.Count > 1, (leaf, step) => step.Witness[0] == leaf ? step.Witness[1] : step.Witness[0]);
    }

    [Fact]
    public void Witness_WithALeafTooMany_Refused()
    {
        foreach (var (trace, step) in _chain.Steps.Take(200))
        {
            var longer = step.Witness.Append(step.Witness.Count > 0 ? step.Witness[0] : new StepLeaf([], new MerkleProof([], default, default))).ToList();
            Assert.Throws<StepProofException>(() => Apply(trace, step, longer));
        }
    }

    [Fact]
    public void Witness_MissingItsLastLeaf_Refused()
    {
        var refused = 0;
        foreach (var (trace, step) in _chain.Steps)
        {
            var shorter = step.Witness.Take(step.Witness.Count - 1).ToList();
            Assert.Throws<StepProofException>(() => Apply(trace, step, shorter));
            refused++;
        }
        Assert.True(refused > 100);
    }

    [Fact]
    public void Transaction_FromAnotherBatch_Refused()
    {
        var (first, _) = _chain.Steps.First(s => s.Step.Kind == AccountsStepKind.Transaction);
        var other = _chain.Steps.Select(s => s.Trace).First(t => t != first);
        foreach (var (trace, step) in _chain.Steps.Where(s => s.Trace == first && s.Step.Kind == AccountsStepKind.Transaction).Take(50))
        {
            Assert.Throws<StepProofException>(() => AccountsStepFunction.Verify(step.Pre, other.Context, step.Deposit, step.Witness));
        }
    }

    [Fact]
    public void Deposit_NotL1s_Refused()
    {
        var deposits = _chain.Steps.Where(s => s.Step.Deposit.Amount > 0).ToList();
        Assert.NotEmpty(deposits);
        foreach (var (trace, step) in deposits)
        {
            var wrong = step.Deposit with { Amount = step.Deposit.Amount + 1 };
            Assert.Throws<StepProofException>(() => AccountsStepFunction.Verify(step.Pre, trace.Context, wrong, step.Witness));
        }
    }

    [Fact]
    public void Step_OnAnotherAccountsRoot_Refused()
    {
        // A transaction step whose second leaf is its account, applied to a state with another accounts root (the
        // batch's end): the account's proof no longer leads to the state's root.
        var refused = 0;
        foreach (var (trace, step) in _chain.Steps.Where(s => s.Step.Kind == AccountsStepKind.Transaction && s.Step.Witness.Count > 1))
        {
            if (trace.End.AccountsRoot == step.Pre.AccountsRoot)
            {
                continue;
            }
            var moved = step.Pre with { AccountsRoot = trace.End.AccountsRoot };
            Assert.Throws<StepProofException>(() => AccountsStepFunction.Verify(moved, trace.Context, step.Deposit, step.Witness));
            refused++;
        }
        Assert.True(refused > 50, $"only {refused}");
    }

    private void EveryLeaf(Func<StepLeaf, AccountsStep, bool> applies, Func<StepLeaf, AccountsStep, StepLeaf> mutate)
    {
        var refused = 0;
        foreach (var (trace, step) in _chain.Steps)
        {
            for (var i = 0; i < step.Witness.Count; i++)
            {
                if (!applies(step.Witness[i], step))
                {
                    continue;
                }
                var witness = step.Witness.ToList();
                witness[i] = mutate(step.Witness[i], step);
                Assert.Throws<StepProofException>(() => Apply(trace, step, witness));
                refused++;
            }
        }
        Assert.True(refused > 100, $"only {refused} mutations");
    }

    private static AccountsState Apply(AccountsTrace trace, AccountsStep step, IReadOnlyList<StepLeaf> witness) =>
        AccountsStepFunction.Verify(step.Pre, trace.Context, step.Deposit, witness);

    private static Hash256[] Flip(IReadOnlyList<Hash256> siblings, int index)
    {
        var flipped = siblings.ToArray();
        var bytes = flipped[index].Bytes.ToArray();
        bytes[31] ^= 1;
        flipped[index] = new Hash256(bytes);
        return flipped;
    }

    private static byte[] FlipLastBit(byte[] record)
    {
        var copy = (byte[])record.Clone();
        copy[^1] ^= 1;
        return copy;
    }

    /// <summary>A seeded flow and the hostile blocks, in three batches, traced once for all the mutation tests.</summary>
    public sealed class TracedChain : IDisposable
    {
        private readonly StepChain _chain = new();

        public TracedChain()
        {
            var generator = new ChainFlowGenerator(53, markets: 3, accounts: 25, signingDomain: StepChain.Domain);
            _chain.Run([generator.Next(60), generator.Next(60)]);
            _chain.Run([generator.Next(60)]);
            var head = _chain.Engine.Head;
            _chain.Run(HostileBlocks.Build(head.BlockNumber + 1, head.NextDepositIndex, head.Timestamp + 250));
            Steps = _chain.Batches.SelectMany(b => b.Trace.Steps.Select(s => (b.Trace, s))).ToList();
        }

        public IReadOnlyList<(AccountsTrace Trace, AccountsStep Step)> Steps { get; }

        public void Dispose() => _chain.Dispose();
    }
}
