using Rollup.Bridge.L1;
using Rollup.Bridge.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Testing;

namespace Rollup.Bench.Custom;

/// <summary>
/// The L1 gas of market steps on MarketStepVerifier (docs/market-verifier.md): every step of the market traces of a
/// seeded flow with price jumps that liquidate, estimated on anvil, by kind (a Message by its transaction's kind, a
/// LiquidationContinue by its stage, a Continue by its pending work), median and worst; then the same for a flow of
/// mixed bulks and one of 64-item bulks, the longest a Continue step re-reads.
/// </summary>
internal static class MarketStepGas
{
    private static readonly string[] Stages = ["", "cancel", "sweep", "takeover", "deleverage", "finish"];

    public static async Task AddAsync(CustomReport report, L1Client l1, TransactionSender deployer, int seed, int batches)
    {
        var verifier = await MarketStepVerifierClient.DeployAsync(l1, deployer, CancellationToken.None);
        await AddFlowAsync(report, verifier, "", $"6 markets' traces, seed {seed}", new ChainFlowGenerator(seed, markets: 6, accounts: 120, signingDomain: StepChain.Domain), batches, 300);
        await AddFlowAsync(report, verifier, "bulks.", "mixed bulks of 1 to 6 items, 2 markets, seed 56", new ChainFlowGenerator(56, markets: 2, accounts: 30, signingDomain: StepChain.Domain) { MixedBulks = true }, 2, 120);
        await AddFlowAsync(report, verifier, "bulk64.", "64-item bulks of places, 2 markets, seed 57", new ChainFlowGenerator(57, markets: 2, accounts: 30, signingDomain: StepChain.Domain) { BulkItems = 64 }, 1, 40);
    }

    private static async Task AddFlowAsync(CustomReport report, MarketStepVerifierClient verifier, string keyPrefix, string flowName, ChainFlowGenerator flow, int batches, int transactions)
    {
        using var chain = new MarketStepChain();
        var gasByKind = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        var steps = 0;
        for (var b = 0; b < batches; b++)
        {
            var (batch, markets) = chain.Run([flow.Next(transactions), flow.Next(transactions), flow.Next(transactions), flow.Next(transactions)]);
            foreach (var trace in markets.Values)
            {
                foreach (var step in trace.Steps)
                {
                    var gas = await verifier.EstimateGasAsync(step.Pre, trace.Context, step.Witness);
                    var kind = KindOf(step, batch);
                    if (!gasByKind.TryGetValue(kind, out var list))
                    {
                        gasByKind[kind] = list = [];
                    }
                    list.Add(gas);
                    steps++;
                }
            }
        }
        report.Section($"L1 gas of one market step on MarketStepVerifier ({steps:N0} steps of {flowName}; eth_estimateGas, 21,000 base and calldata included)");
        foreach (var (kind, gas) in gasByKind)
        {
            gas.Sort();
            report.Add($"gas.market.{keyPrefix}{kind}.median", $"market {kind}: median", gas[gas.Count / 2], "gas", $"worst {gas[^1]:N0}, {gas.Count:N0} steps", decimals: 0);
        }
    }

    private static string KindOf(MarketStep step, TracedBatch batch) => step.Kind switch
    {
        MarketStepKind.Message => $"Message {MessageKind(step, batch)}",
        MarketStepKind.LiquidationContinue => $"LiquidationContinue {Stages[step.Pre.Pending[21]]}",
        MarketStepKind.Continue => step.Pre.Pending switch
        {
            [4, ..] => step.Pre.Pending[19] == 1 ? "Continue bulk item, cancel" : "Continue bulk item, place",
            [1, ..] when step.Pre.Pending.Length > 76 => "Continue sweep of a bulk item",
            _ => "Continue (sweep or cancel-all)",
        },
        _ => step.Kind.ToString(),
    };

    /// <summary>The routed transaction's kind, read from the message the step opened (its first witness leaf).</summary>
    private static TxKind MessageKind(MarketStep step, TracedBatch batch)
    {
        var message = ((MarketWitnessLeaf.Input)step.Witness[0]).Leaf.Record;
        return batch.TransactionAt(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(message)).Kind;
    }
}
