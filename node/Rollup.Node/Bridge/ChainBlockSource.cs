using Rollup.Bridge.Posting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Sequencer;

namespace Rollup.Node.Bridge;

/// <summary>The node's executed blocks, for the batch poster; with <paramref name="markets"/>, its batches claim every market.</summary>
public sealed class ChainBlockSource(IChainView chain, ProvableMarkets? markets = null) : IBlockSource
{
    public ulong HeadBlock => chain.ReadStored(engine => engine.HeadBlock);

    public BlockRecord? GetBlock(ulong number) => chain.ReadStored(engine => engine.GetBlock(number));

    /// <summary>The head under the chain's lock, the records since then outside it: block execution never waits for the rewind.</summary>
    public AccountsDomainState AccountsDomainStateAfter(ulong number) =>
        AccountsDomainHistory.After(chain.Read(engine => engine.AccountsDomainAtHead()), number, n => chain.ReadStored(engine => engine.GetBlock(n)));

    public IReadOnlyDictionary<uint, MarketDomainTrees>? MarketTreesAfter(ulong number) => markets?.After(number);
}
