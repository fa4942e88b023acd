using Rollup.Node.Devnet;

namespace Rollup.Node.Tests.Devnet;

public class AnvilLogFilterTests
{
    // What anvil 1.7.1 printed for: start, an empty block, RPC calls, a transfer and its block, a call, an empty block.
    private static readonly string[] Transcript =
    [
        "Listening on 127.0.0.1:18545",
        "",
        "    Block Number: 1",
        "    Block Hash: 0xff9d0c38e99582053b279afb08561f689e831029df473fa83597b3d6187f7c41",
        "    Block Time: \"Wed, 2 Dec 2026 04:10:30 +0000\"",
        "",
        "eth_blockNumber",
        "eth_chainId",
        "eth_sendRawTransaction",
        "eth_getTransactionReceipt",
        "",
        "    Transaction: 0x37eac23662b2822928a6dc8fc09af37777c9aac186a0e0f94fa1352b368b1bba",
        "    Gas used: 21000",
        "",
        "    Block Number: 2",
        "    Block Hash: 0x1d52a8aabe330df34143afa670bb145e3b1ecfa874e1bec292eca718366f13d3",
        "    Block Time: \"Wed, 2 Dec 2026 04:10:31 +0000\"",
        "",
        "anvil_nodeInfo",
        "eth_call",
        "",
        "    Block Number: 3",
        "    Block Hash: 0x5c663f4010bad9916df4597ea4b564ec502ade67d6e781d81abf9cb0f94f58c3",
        "    Block Time: \"Wed, 2 Dec 2026 04:10:32 +0000\"",
        "Warning: Contract code is empty",
    ];

    [Fact]
    public void Keeps_transactions_their_blocks_and_warnings_and_drops_rpc_names_and_empty_blocks()
    {
        var filter = new AnvilLogFilter();
        var kept = Transcript.Where(filter.Keep).ToArray();
        Assert.Equal(
        [
            "Listening on 127.0.0.1:18545",
            "",
            "    Transaction: 0x37eac23662b2822928a6dc8fc09af37777c9aac186a0e0f94fa1352b368b1bba",
            "    Gas used: 21000",
            "",
            "    Block Number: 2",
            "    Block Hash: 0x1d52a8aabe330df34143afa670bb145e3b1ecfa874e1bec292eca718366f13d3",
            "    Block Time: \"Wed, 2 Dec 2026 04:10:31 +0000\"",
            "",
            "Warning: Contract code is empty",
        ], kept);
    }

    [Theory]
    [InlineData("Error: reverted with custom error BatchGap()")]
    [InlineData("eth_getLogs failed")]
    [InlineData("Private Keys")]
    [InlineData("_x")]
    public void Keeps_lines_that_are_not_a_bare_method_name(string line) => Assert.True(new AnvilLogFilter().Keep(line));
}
