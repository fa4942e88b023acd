using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Execution.State;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Sequencer;

namespace Rollup.Node.Bridge;

/// <summary>
/// The validator's engine: blocks derived from L1 are executed, then published to the node's streams. With
/// <paramref name="markets"/> it checks every market's claim too.
/// </summary>
public sealed class ChainExecutor(ExecutedChain chain, ProvableMarkets? markets = null) : IBlockExecutor
{
    public ChainHead Head => chain.Read(engine => engine.Head);

    public BlockResult Execute(Block block)
    {
        var result = chain.Execute(block);
        chain.Publish(result);
        return result;
    }

    public BlockRecord? GetBlock(ulong number) => chain.ReadStored(engine => engine.GetBlock(number));

    /// <summary>The head under the chain's lock, the records since then outside it: block execution never waits for the rewind.</summary>
    public AccountsDomainState AccountsDomainStateAfter(ulong number) =>
        AccountsDomainHistory.After(chain.Read(engine => engine.AccountsDomainAtHead()), number, n => chain.ReadStored(engine => engine.GetBlock(n)));

    public IReadOnlyDictionary<uint, MarketDomainTrees>? MarketTreesAfter(ulong number) => markets?.After(number);
}
