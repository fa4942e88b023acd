using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Eip712;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>The chain the sequencer tests run: chain id 31337, the flow generator's operator, two workers, 10 ms blocks.</summary>
internal static class TestChain
{
    public static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };

    public static readonly Eip712Domain Domain = RollupDomain.Create(Engine.ChainId, Engine.SettlementContract);

    public static SequencerOptions Options(string dataDir) => new()
    {
        DataDir = dataDir,
        Engine = Engine,
        Key = ChainFlowGenerator.KeyOf(0xFFF9),
        BlockInterval = TimeSpan.FromMilliseconds(10),
    };
}
