using Rollup.Bridge.Posting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Sequencer;

namespace Rollup.Node.Bridge;

/// <summary>The node's executed blocks, for the batch poster.</summary>
public sealed class ChainBlockSource(IChainView chain) : IBlockSource
{
    public ulong HeadBlock => chain.Read(engine => engine.Head.BlockNumber);

    public BlockRecord? GetBlock(ulong number) => chain.Read(engine => engine.GetBlock(number));

    public AccountsDomainState AccountsDomainStateAfter(ulong number) => chain.Read(engine => engine.AccountsDomainStateAfter(number));
}
