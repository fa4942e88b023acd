using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Primitives;
using Rollup.Sequencer;

namespace Rollup.Node.Bridge;

/// <summary>The validator's engine: blocks derived from L1 are executed, then published to the node's streams.</summary>
public sealed class ChainExecutor(ExecutedChain chain) : IBlockExecutor
{
    public ChainHead Head => chain.Read(engine => engine.Head);

    public Hash256 MarketsRoot => chain.Read(engine => engine.MarketsRoot);

    public Hash256 MarketRoot(uint market) => chain.Read(engine => engine.MarketRoot(market));

    public BlockResult Execute(Block block)
    {
        var result = chain.Execute(block);
        chain.Publish(result);
        return result;
    }

    public BlockRecord? GetBlock(ulong number) => chain.Read(engine => engine.GetBlock(number));
}
