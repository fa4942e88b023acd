using Rollup.Execution.Blocks;
using Rollup.Execution.Steps.Markets;

namespace Rollup.Testing;

/// <summary>
/// A <see cref="StepChain"/> whose batches are also traced market by market: one <see cref="MarketTraceBuilder"/> per
/// market, started from nothing for the markets the chain creates and from the engine's market for those it held
/// before. What the market step tests compare against the engine, batch after batch.
/// </summary>
public sealed class MarketStepChain : IDisposable
{
    private readonly Dictionary<uint, MarketTraceBuilder> _builders = [];
    private readonly int _bookOps;
    private readonly int _cancels;

    public MarketStepChain(int bookOpsPerStep = MarketStepContext.DefaultBookOps, int cancelsPerStep = MarketStepContext.DefaultCancels, Execution.Blocks.EngineOptions? options = null)
    {
        Chain = new StepChain(options);
        _bookOps = bookOpsPerStep;
        _cancels = cancelsPerStep;
        foreach (var market in Chain.Engine.Markets)
        {
            _builders[market.Id] = new MarketTraceBuilder(market.Id, MarketDomainTrees.Of(market), bookOpsPerStep, cancelsPerStep);
        }
    }

    public StepChain Chain { get; }

    public ExecutionEngine Engine => Chain.Engine;

    public IReadOnlyDictionary<uint, MarketTraceBuilder> Builders => _builders;

    /// <summary>Executes the blocks as one batch, traces its accounts domain and then every market.</summary>
    public (TracedBatch Batch, IReadOnlyDictionary<uint, MarketTrace> Markets) Run(IReadOnlyList<Block> blocks)
    {
        var batch = Chain.Run(blocks);
        foreach (var market in Engine.Markets)
        {
            if (!_builders.ContainsKey(market.Id))
            {
                _builders[market.Id] = new MarketTraceBuilder(market.Id, start: null, _bookOps, _cancels);
            }
        }
        var receipts = batch.Results.Select(r => (IReadOnlyList<Receipt>)r.Receipts).ToList();
        var inputs = MarketBatchInputs.Of(batch.Trace.Start.FirstSequence, blocks, receipts, batch.Trace);
        var traces = new SortedDictionary<uint, MarketTrace>();
        foreach (var (id, builder) in _builders)
        {
            traces[id] = builder.Trace(inputs);
        }
        return (batch, traces);
    }

    public void Dispose() => Chain.Dispose();
}
