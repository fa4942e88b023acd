using System.Diagnostics;
using Rollup.Bridge.L1;
using Rollup.Bridge.Steps;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Bench.Custom;

/// <summary>
/// What provable steps cost (docs/steps.md): the time to re-execute one block with the accounts domain's full trace
/// (its snapshot, its trees, every step's witness) next to the engine's own execution of the same block, the trace's
/// size, and the L1 gas of each step kind on the Solidity verifier (eth_estimateGas on a real anvil, median and worst
/// over every step of the run), and the same for market steps on the market verifier (<see cref="MarketStepGas"/>).
/// Usage: <c>rollup-bench steps [--transactions 10000] [--seed 5] [--market-batches 4]</c>.
/// </summary>
internal static class StepBench
{
    /// <summary>
    /// What market claims cost the poster and the validator for the same block: the provable engine's replay of it, the
    /// claims of every market (each traced without keeping witnesses), and, for comparison, the full traces a
    /// challenger or a defender builds (witnesses kept).
    /// </summary>
    private static void AddMarketTraces(
        CustomReport report, ExecutionEngine engine, ProvableMarkets provable, Dictionary<uint, MarketDomainTrees> before, List<uint> registry,
        ulong sequence, Block block, BlockResult result, AccountsTrace accounts)
    {
        var replayWatch = Stopwatch.StartNew();
        var after = provable.After(block.Number);
        replayWatch.Stop();
        foreach (var market in engine.Markets)
        {
            if (after[market.Id].Roots != MarketDomainTrees.Of(market).Roots)
            {
                throw new InvalidOperationException($"the provable engine's market {market.Id} is not the engine's");
            }
        }
        var claimWatch = Stopwatch.StartNew();
        var inputs = MarketBatchInputs.FromReceipts(sequence, [block], [result.Receipts]);
        var claims = MarketClaims.Compute(before, registry, registry, inputs);
        claimWatch.Stop();

        var traceWatch = Stopwatch.StartNew();
        var traced = MarketBatchInputs.Of(sequence, [block], [result.Receipts], accounts);
        var steps = 0;
        long witnessBytes = 0;
        foreach (var (id, trees) in before)
        {
            var trace = new MarketTraceBuilder(id, trees).Trace(traced);
            steps += trace.Steps.Count;
            foreach (var step in trace.Steps)
            {
                foreach (var leaf in step.Witness)
                {
                    witnessBytes += leaf switch
                    {
                        MarketWitnessLeaf.Input input => input.Leaf.Record.Length + (32L * input.Leaf.Proof.Siblings.Count) + 64,
                        MarketWitnessLeaf.Ordered ordered => ordered.Leaf.Record.Length + (80L * ordered.Leaf.Proof.Steps.Count) + 64,
                        _ => 0,
                    };
                }
            }
        }
        traceWatch.Stop();
        var claimedSteps = claims.Sum(c => (long)c.Claim.Steps);
        if (claimedSteps != steps)
        {
            throw new InvalidOperationException($"the claims count {claimedSteps} steps, the traces {steps}");
        }
        report.Section($"Market claims of the same block ({before.Count} markets): what the poster and the validator pay, beside the full traces");
        report.Add("markets.replay_ms", "provable engine: replay the block (execute, commit, keep the layout, copy the trees)", replayWatch.Elapsed.TotalMilliseconds, "ms", "off the sequencer's path: the poster's, once a batch");
        report.Add("markets.claims_ms", "claims: every market traced, no witness kept", claimWatch.Elapsed.TotalMilliseconds, "ms", $"{claimedSteps:N0} steps, {claimWatch.Elapsed.TotalMilliseconds * 1000 / claimedSteps:F1} µs a step");
        report.Add("markets.trace_ms", "full traces: every step with its witness", traceWatch.Elapsed.TotalMilliseconds, "ms", $"what a challenger or a defender builds for one disputed batch");
        report.Add("markets.witness_mb", "full traces: witness size", witnessBytes / 1e6, "MB", $"{(double)witnessBytes / steps:F0} B a step", decimals: 2);
    }

    private static readonly string[] Options = ["transactions", "seed", "market-batches"];

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!BenchArgs.TryParse(args, Options, out var parsed, out var error))
        {
            Console.Error.WriteLine($"steps: {error}");
            return 2;
        }
        return RunAsync(parsed.Int("transactions", 10_000), parsed.Int("seed", 5), parsed.Int("market-batches", 4)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int transactions, int seed, int marketBatches)
    {
        var report = new CustomReport("steps", "provable steps: trace generation and L1 gas per step (accounts and market domains)");
        report.Parameter("transactions in the traced block", transactions);
        report.Parameter("seed", seed);

        using var directory = new TempDirectory("rollup-bench-steps");
        using var engine = ExecutionEngine.Open(directory.Path, StepChain.Options);
        var flow = new ChainFlowGenerator(seed, markets: 16, accounts: 1_000, signingDomain: StepChain.Domain);
        for (var i = 0; i < 6; i++)
        {
            engine.Execute(flow.Next(2_000)); // markets, deposits, margin, then a book: the state a busy block meets
        }
        var sequence = (ulong)0;
        for (var n = 1UL; n <= engine.Head.BlockNumber; n++)
        {
            sequence += (ulong)engine.GetBlock(n)!.Block.Transactions.Length;
        }
        var block = flow.Next(transactions);

        var marketsBefore = new Dictionary<uint, MarketDomainTrees>();
        foreach (var market in engine.Markets)
        {
            marketsBefore[market.Id] = MarketDomainTrees.Of(market);
        }
        var registryBefore = engine.Markets.Select(m => m.Id).ToList();
        using var provableDirectory = new TempDirectory("rollup-bench-provable");
        using var provable = new ProvableMarkets(provableDirectory.Path, StepChain.Options, engine.GetBlock);
        _ = provable.After(engine.Head.BlockNumber);

        var snapshotWatch = Stopwatch.StartNew();
        var snapshot = engine.SnapshotAccounts();
        var builder = new AccountsTraceBuilder(snapshot, engine.Domain, engine.Options.Operators);
        snapshotWatch.Stop();
        var executeWatch = Stopwatch.StartNew();
        var result = engine.Execute(block);
        executeWatch.Stop();
        var traceWatch = Stopwatch.StartNew();
        var trace = builder.Trace(sequence, [block], [result.Receipts]);
        traceWatch.Stop();
        if (trace.End.AccountsRoot != engine.AccountsRoot)
        {
            throw new InvalidOperationException("the trace does not end at the engine's accounts root");
        }

        long witnessBytes = 0;
        var leaves = 0;
        foreach (var step in trace.Steps)
        {
            foreach (var leaf in step.Witness)
            {
                witnessBytes += leaf.Record.Length + (32L * leaf.Proof.Siblings.Count) + 64;
                leaves++;
            }
        }
        report.Section($"Re-executing one block of {block.Transactions.Length:N0} transactions with its accounts trace");
        report.Add("trace.execute_ms", "engine: execute and commit the block", executeWatch.Elapsed.TotalMilliseconds, "ms", "the sequencer's path: no trace");
        report.Add("trace.snapshot_ms", "trace: snapshot the accounts and build their trees", snapshotWatch.Elapsed.TotalMilliseconds, "ms", $"{snapshot.Accounts.Count:N0} accounts");
        report.Add("trace.build_ms", "trace: every step with its witness", traceWatch.Elapsed.TotalMilliseconds, "ms", $"{trace.Steps.Count:N0} steps, {traceWatch.Elapsed.TotalMilliseconds * 1000 / trace.Steps.Count:F1} µs a step");
        report.Add("trace.witness_mb", "trace: witness size (records, siblings, path ends)", witnessBytes / 1e6, "MB", $"{leaves:N0} leaves, {(double)witnessBytes / trace.Steps.Count:F0} B a step", decimals: 2);
        report.Note("The accounts domain's trace only (market traces' gas follows below). Signatures are recovered again by the trace (one recovery per signed transaction).");

        AddMarketTraces(report, engine, provable, marketsBefore, registryBefore, sequence, block, result, trace);

        using var anvil = await AnvilProcess.StartAsync();
        using var l1 = new L1Client(anvil.Endpoint);
        var deployer = new TransactionSender(l1, AnvilProcess.DevKey(0), anvil.ChainId);
        var verifier = await AccountsStepVerifierClient.DeployAsync(l1, deployer, StepChain.Options.ChainId, StepChain.Contract, StepChain.Options.Operators, CancellationToken.None);
        var gasByKind = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var step in trace.Steps)
        {
            var gas = await verifier.EstimateGasAsync(step.Pre, trace.Context, step.Deposit, step.Witness);
            var kind = KindOf(step, block);
            if (!gasByKind.TryGetValue(kind, out var list))
            {
                gasByKind[kind] = list = [];
            }
            list.Add(gas);
        }
        report.Section("L1 gas of one step on AccountsStepVerifier (eth_estimateGas: the call as a transaction, 21,000 base and calldata included)");
        foreach (var (kind, gas) in gasByKind)
        {
            gas.Sort();
            report.Add($"gas.{kind}.median", $"{kind}: median", gas[gas.Count / 2], "gas", $"worst {gas[^1]:N0}, {gas.Count:N0} steps", decimals: 0);
        }
        await MarketStepGas.AddAsync(report, l1, deployer, seed: 11, marketBatches);
        report.Note("Goal (issue 12): every step under 2,000,000 gas, so a one-step proof fits in an L1 block with room to spare.");
        report.Write();
        return 0;
    }

    /// <summary>The step kind, and for a transaction its kind and whether this domain refused it or passed it on.</summary>
    private static string KindOf(AccountsStep step, Block block)
    {
        if (step.Kind != AccountsStepKind.Transaction)
        {
            return step.Kind.ToString();
        }
        var tx = block.Transactions[step.Pre.TxIndex];
        var what = step.Outcome.Status switch
        {
            null => "routed",
            TxStatus.Accepted => "accepted",
            { } status => "refused " + status,
        };
        return $"{tx.Kind} {what}";
    }
}
