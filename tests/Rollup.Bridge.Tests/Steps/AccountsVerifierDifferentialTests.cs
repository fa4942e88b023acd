using Rollup.Bridge.L1;
using Rollup.Bridge.Steps;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Testing;
using static Rollup.Bridge.Tests.Steps.VerifierCalls;

namespace Rollup.Bridge.Tests.Steps;

/// <summary>
/// Two implementations, one truth: every step of the accounts domain's trace, run by the C# step function while the
/// engine executed the chain, and by the Solidity verifier on a real anvil, gives the same post state; and the
/// verifier refuses witnesses and inputs changed in one place, each with its custom error.
/// </summary>
public sealed class AccountsVerifierDifferentialTests(AccountsVerifierDifferentialTests.Deployed deployed) : IClassFixture<AccountsVerifierDifferentialTests.Deployed>
{
    [Fact]
    public async Task EveryStep_SolidityVerifierOnAnvil_SamePostStateAsTheEngine()
    {
        var steps = deployed.Steps;
        Assert.True(steps.Count >= 10_000, $"{steps.Count} steps");
        await ForEachAsync(steps, async item =>
        {
            var (trace, step) = item;
            var post = await deployed.Verifier.StepAsync(step.Pre, trace.Context, step.Deposit, step.Witness);
            Assert.True(step.Post == post, $"step {step.Index} ({step.Kind}) of the batch from block {trace.Start.Block + 1}: the verifier's post state differs:\n{step.Post}\n{post}");
        });

        // The run covered every step kind and every outcome the accounts domain decides.
        foreach (var kind in Enum.GetValues<AccountsStepKind>())
        {
            Assert.Contains(steps, s => s.Step.Kind == kind);
        }
        foreach (var status in HostileBlocks.Decided)
        {
            Assert.Contains(steps, s => s.Step.Outcome.Status == status);
        }
        Assert.Contains(steps, s => s.Step.Outcome.Credit == (long)HostileBlocks.RefundableMargin);
        // Bulks: routed with their first slot, taking one per item, and moving every later transaction's slot.
        Assert.Contains(steps, s => s.Step.Outcome.RoutedTo is not null && s.Step.Post.NextSlot - s.Step.Pre.NextSlot > 1);
        Assert.Contains(steps, s => s.Step.Kind == AccountsStepKind.Transaction && s.Step.Pre.NextSlot > s.Step.Pre.TxIndex);
    }

    [Fact]
    public async Task Witness_SiblingBitFlipped_RevertsBadProof()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Witness.Any(l => l.Proof.Siblings.Count > 0)))
        {
            var i = step.Witness.ToList().FindIndex(l => l.Proof.Siblings.Count > 0);
            var leaf = step.Witness[i];
            var siblings = leaf.Proof.Siblings.ToArray();
            siblings[0] = Flip(siblings[0]);
            var witness = step.Witness.ToList();
            witness[i] = leaf with { Proof = leaf.Proof with { Siblings = siblings } };
            await AssertRevertsAsync("BadProof", step.Pre, trace.Context, step.Deposit, witness);
        }
    }

    [Fact]
    public async Task Witness_RecordChangedOrAnotherKeysProof_RevertsBadProof()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Witness.Count > 1 && s.Witness[1].IsPresent))
        {
            var changed = step.Witness.ToList();
            var record = (byte[])changed[1].Record.Clone();
            record[^1] ^= 1;
            changed[1] = changed[1] with { Record = record };
            // Refused as a bad proof, or first as a record its tree cannot hold (an account's nonce window broken).
            await AssertRevertsAsync(["BadProof", "BadRecord"], step.Pre, trace.Context, step.Deposit, changed);

            var swapped = step.Witness.ToList();
            (swapped[0], swapped[1]) = (swapped[1], swapped[0]);
            // The first leaf read is of another tree and kind: refused as a record that tree cannot hold, or as a bad proof.
            await AssertRevertsAsync(["BadProof", "BadRecord"], step.Pre, trace.Context, step.Deposit, swapped);
        }
    }

    [Fact]
    public async Task Transaction_NotInTheBatch_RevertsBadProof()
    {
        var batches = deployed.Steps.Select(s => s.Trace).Distinct().ToList();
        foreach (var (trace, step) in deployed.Sample(s => s.Kind == AccountsStepKind.Transaction))
        {
            var other = batches.First(t => t != trace);
            await AssertRevertsAsync("BadProof", step.Pre, other.Context, step.Deposit, step.Witness);
        }
    }

    [Fact]
    public async Task Deposit_NotL1s_RevertsDepositNotOnL1()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Deposit.Amount > 0))
        {
            await AssertRevertsAsync("DepositNotOnL1", step.Pre, trace.Context, step.Deposit with { Amount = step.Deposit.Amount + 1 }, step.Witness);
        }
    }

    [Fact]
    public async Task Witness_Truncated_Reverts()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Witness.Count > 0))
        {
            await AssertRevertsAsync((string?)null, step.Pre, trace.Context, step.Deposit, step.Witness.Take(step.Witness.Count - 1).ToList());
        }
    }

    [Fact]
    public async Task Step_OnAnotherAccountsRoot_RevertsBadProof()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Kind == AccountsStepKind.Transaction && s.Witness.Count > 1))
        {
            if (trace.End.AccountsRoot != step.Pre.AccountsRoot)
            {
                await AssertRevertsAsync("BadProof", step.Pre with { AccountsRoot = trace.End.AccountsRoot }, trace.Context, step.Deposit, step.Witness);
            }
        }
    }

    private Task AssertRevertsAsync(string? error, AccountsState pre, AccountsStepContext context, L1Deposit deposit, IReadOnlyList<StepLeaf> witness) =>
        AssertRevertsAsync(error is null ? null : [error], pre, context, deposit, witness);

    private async Task AssertRevertsAsync(string[]? errors, AccountsState pre, AccountsStepContext context, L1Deposit deposit, IReadOnlyList<StepLeaf> witness)
    {
        var reverted = await Assert.ThrowsAsync<L1CallRevertedException>(() => deployed.Verifier.StepAsync(pre, context, deposit, witness));
        var reason = reverted.DecodeReason(AccountsStepVerifierClient.Artifact.Errors);
        Assert.Equal(RevertKind.CustomError, reason.Kind);
        if (errors is not null)
        {
            Assert.Contains(reason.Name, errors);
        }
    }

    /// <summary>
    /// anvil with the verifier deployed, and a chain of at least 10,000 accounts steps traced while the engine
    /// executed it: a seeded flow of many accounts and markets (with mixed bulks), the hostile blocks, and a market that faults.
    /// </summary>
    public sealed class Deployed : IAsyncLifetime, IDisposable
    {
        private StepChain? _chain;
        private AnvilProcess? _anvil;
        private L1Client? _l1;

        public AccountsStepVerifierClient Verifier { get; private set; } = null!;

        public IReadOnlyList<(AccountsTrace Trace, AccountsStep Step)> Steps { get; private set; } = [];

        /// <summary>Up to 40 steps that match, spread over the run, for the revert tests.</summary>
        public IEnumerable<(AccountsTrace Trace, AccountsStep Step)> Sample(Func<AccountsStep, bool> matches)
        {
            var all = Steps.Where(s => matches(s.Step)).ToList();
            Assert.NotEmpty(all);
            var stride = Math.Max(1, all.Count / 40);
            for (var i = 0; i < all.Count; i += stride)
            {
                yield return all[i];
            }
        }

        public async Task InitializeAsync()
        {
            var hostileFrom = ulong.MaxValue;
            _chain = new StepChain(injectFault: (market, block) => market == HostileBlocks.Market && block == hostileFrom + 1);
            var generator = new ChainFlowGenerator(61, markets: 6, accounts: 120, signingDomain: StepChain.Domain) { MixedBulks = true };
            var traced = 0;
            while (traced < 10_500)
            {
                traced += _chain.Run([generator.Next(300), generator.Next(300), generator.Next(300)]).Trace.Steps.Count;
            }
            var head = _chain.Engine.Head;
            hostileFrom = head.BlockNumber + 1;
            _chain.Run(HostileBlocks.Build(head.BlockNumber + 1, head.NextDepositIndex, head.Timestamp + 250));
            Steps = _chain.Batches.SelectMany(b => b.Trace.Steps.Select(s => (b.Trace, s))).ToList();

            _anvil = await AnvilProcess.StartAsync();
            _l1 = new L1Client(_anvil.Endpoint);
            var deployer = new TransactionSender(_l1, AnvilProcess.DevKey(0), AnvilProcess.DefaultChainId);
            Verifier = await AccountsStepVerifierClient.DeployAsync(_l1, deployer, StepChain.Options.ChainId, StepChain.Contract, StepChain.Options.Operators, CancellationToken.None);
        }

        public Task DisposeAsync()
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            _l1?.Dispose();
            _anvil?.Dispose();
            _chain?.Dispose();
        }
    }
}
