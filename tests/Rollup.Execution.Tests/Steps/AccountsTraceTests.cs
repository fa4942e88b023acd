using Rollup.Execution.Blocks;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Steps;

/// <summary>
/// The accounts domain's trace against the engine, which executes the same blocks by its own code (phase A and C):
/// the trace's end state must hold the engine's accounts root, deposit cursor, totals and withdrawals, and every
/// receipt the trace decides must be the engine's. Then each step must check alone, from its witness.
/// </summary>
public sealed class AccountsTraceTests
{
    [Fact]
    public void Trace_SeededFlowInBatches_EndStateIsTheEngines()
    {
        using var chain = new StepChain();
        var generator = new ChainFlowGenerator(41, markets: 4, accounts: 40, signingDomain: StepChain.Domain);
        for (var b = 0; b < 4; b++)
        {
            var batch = chain.Run([generator.Next(120), generator.Next(120), generator.Next(120)]);
            AssertMatchesEngine(chain.Engine, batch);
        }
    }

    [Fact]
    public void DomainStateAfter_EachBatchStart_IsWhatTheEngineHeldThen()
    {
        using var chain = new StepChain();
        var generator = new ChainFlowGenerator(42, markets: 4, accounts: 30, signingDomain: StepChain.Domain);
        chain.Run([generator.Next(80)]);
        chain.Run([generator.Next(80), generator.Next(80)]);
        var head = chain.Engine.Head;
        chain.Run(HostileBlocks.Build(head.BlockNumber + 1, head.NextDepositIndex, head.Timestamp + 250));

        foreach (var batch in chain.Batches)
        {
            var rewound = chain.Engine.AccountsDomainStateAfter(batch.Blocks[0].Number - 1);
            Assert.Equal(batch.Start.AccountsRoot, rewound.AccountsRoot);
            Assert.Equal(batch.Start.Markets.Order(), rewound.Markets.Order());
            Assert.Equal((batch.Start.NextDepositIndex, batch.Start.TotalDeposits, batch.Start.TotalWithdrawals), (rewound.NextDepositIndex, rewound.TotalDeposits, rewound.TotalWithdrawals));
        }
    }

    [Fact]
    public void Trace_EveryAccountsOutcome_DecidedAsTheEngineDoes()
    {
        using var chain = new StepChain();
        var batch = chain.Run(HostileBlocks.Build(1, 0, 1_700_000_000_000));
        AssertMatchesEngine(chain.Engine, batch);

        var decided = batch.Trace.Steps.Where(s => s.Outcome.Status is not null).Select(s => s.Outcome.Status!.Value).ToHashSet();
        foreach (var status in HostileBlocks.Decided)
        {
            Assert.Contains(status, decided);
        }
        // An oracle price from a key that is not the market's signer is routed: its market refuses it.
        Assert.Contains(batch.Trace.Steps, s => s.Outcome.RoutedTo == HostileBlocks.Market
            && batch.TransactionAt(s.Outcome.Sequence).Kind == TxKind.OracleUpdate && batch.ReceiptAt(s.Outcome.Sequence).Status == TxStatus.NotOracleSigner);
        Assert.Contains(batch.Trace.Steps, s => s.Kind == AccountsStepKind.Reply && s.Outcome.Credit > 0);
    }

    [Fact]
    public void Trace_MarketFaults_RefundReplyCreditsTheMarginBack()
    {
        using var chain = new StepChain(injectFault: (market, block) => market == HostileBlocks.Market && block == 2);
        var batch = chain.Run(HostileBlocks.Build(1, 0, 1_700_000_000_000));

        Assert.Contains(HostileBlocks.Market, batch.Results[1].FaultedMarkets);
        AssertMatchesEngine(chain.Engine, batch);
        Assert.Contains(batch.Trace.Steps, s => s.Kind == AccountsStepKind.Reply && s.Outcome.Credit == (long)HostileBlocks.RefundableMargin);
    }

    [Fact]
    public void Witness_EveryStepOfTheFlow_ChecksAloneToTheSamePostState()
    {
        using var chain = new StepChain();
        var generator = new ChainFlowGenerator(43, markets: 3, accounts: 30, signingDomain: StepChain.Domain);
        chain.Run([generator.Next(100), generator.Next(100)]);
        var head = chain.Engine.Head;
        var batch = chain.Run(HostileBlocks.Build(head.BlockNumber + 1, head.NextDepositIndex, head.Timestamp + 250));
        var checkedSteps = 0;
        foreach (var traced in chain.Batches)
        {
            foreach (var step in traced.Trace.Steps)
            {
                Assert.Equal(step.Post, AccountsStepFunction.Verify(step.Pre, traced.Trace.Context, step.Deposit, step.Witness));
                checkedSteps++;
            }
        }
        Assert.True(checkedSteps > 200, $"only {checkedSteps} steps");
        Assert.Equal(batch.Trace.End, batch.Trace.Steps[^1].Post);
    }

    [Fact]
    public void Trace_SameBlocksAt1And8Workers_SameStepStates()
    {
        IReadOnlyList<Hash256> StatesAt(int workers)
        {
            using var chain = new StepChain(StepChain.Options with { Workers = workers });
            var generator = new ChainFlowGenerator(47, markets: 5, accounts: 30, signingDomain: StepChain.Domain);
            var states = new List<Hash256>();
            for (var b = 0; b < 3; b++)
            {
                states.AddRange(chain.Run([generator.Next(80), generator.Next(80)]).Trace.Steps.Select(s => s.Post.Hash()));
            }
            return states;
        }

        Assert.Equal(StatesAt(1), StatesAt(8));
    }

    /// <summary>The engine's own results, computed by its phase A and C, against the trace's end state and decisions.</summary>
    private static void AssertMatchesEngine(ExecutionEngine engine, TracedBatch batch)
    {
        var end = batch.Trace.End;
        // The transactions the trace proves its inputs against are those the commitment's txRoot names.
        Assert.Equal(BatchTransactionRoot.Compute(batch.Trace.Start.FirstSequence, batch.Blocks), batch.Trace.Context.TxRoot);
        Assert.Equal(engine.AccountsRoot, end.AccountsRoot);
        Assert.Equal(engine.Head.NextDepositIndex, end.NextDepositIndex);
        Assert.Equal(engine.Head.TotalDeposits, end.TotalDeposits);
        Assert.Equal(engine.Head.TotalWithdrawals, end.TotalWithdrawals);
        Assert.Equal(RegistryRootOf(engine), end.RegistryRoot);
        var withdrawals = batch.Results.SelectMany(r => r.Withdrawals).ToList();
        Assert.Equal(ExecutionEngine.WithdrawalsRoot(withdrawals), end.WithdrawalsRoot);

        var outcomes = batch.Trace.Steps.Where(s => s.Kind == AccountsStepKind.Transaction).ToList();
        Assert.Equal(batch.Blocks.Sum(b => b.Transactions.Length), outcomes.Count);
        foreach (var step in outcomes)
        {
            var receipt = batch.ReceiptAt(step.Outcome.Sequence);
            if (step.Outcome.Status is { } status)
            {
                Assert.True(status == receipt.Status, $"sequence {step.Outcome.Sequence}: the trace decided {status}, the engine {receipt.Status}");
            }
            else
            {
                Assert.NotNull(step.Outcome.RoutedTo);
                Assert.Equal(batch.TransactionAt(step.Outcome.Sequence).Market, step.Outcome.RoutedTo);
            }
        }
        Assert.Equal(batch.Blocks[^1].Number, end.Block);

        // The claim a poster computes without the trace is the trace's.
        var (claim, claimedEnd) = AccountsClaims.Compute(batch.Start, batch.Trace.Start.FirstSequence, batch.Blocks,
            batch.Results.Select(r => (IReadOnlyList<Receipt>)r.Receipts).ToList(), engine.AccountsRoot);
        Assert.Equal(new DomainClaim(batch.Trace.Start.Hash(), end.Hash(), (ulong)batch.Trace.Steps.Count), claim);
        Assert.Equal(StepChain.DomainState(engine).Markets.Order(), claimedEnd.Markets.Order());
        Assert.Equal((engine.Head.NextDepositIndex, engine.Head.TotalDeposits, engine.Head.TotalWithdrawals), (claimedEnd.NextDepositIndex, claimedEnd.TotalDeposits, claimedEnd.TotalWithdrawals));
    }

    /// <summary>The registry from its rule (docs/steps.md), over the engine's markets, by the engine's own tree code.</summary>
    private static Hash256 RegistryRootOf(ExecutionEngine engine)
    {
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var updates = engine.Markets.Select(m => new MerkleUpdate(StepKeys.Market(m.Id), Primitives.Hashing.Keccak256.Compute([0x01]))).ToArray();
        return updates.Length == 0 ? Hash256.Zero : tree.Update(updates);
    }
}
