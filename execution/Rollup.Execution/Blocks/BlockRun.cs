using Rollup.Execution.Markets;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Blocks;

/// <summary>The working state of one block's execution, from phase A to the commit.</summary>
internal sealed class BlockRun
{
    public BlockRun(Block block)
    {
        Block = block;
        Receipts = new Receipt[block.Transactions.Length];
        SignatureValid = new bool[block.Transactions.Length];
        OrderSlots = Blocks.OrderSlots.Of(block.Transactions);
    }

    /// <summary>Each transaction's first order slot; null when the block has no bulk (<see cref="Blocks.OrderSlots"/>).</summary>
    public int[]? OrderSlots { get; }

    public Block Block { get; }

    public Receipt[] Receipts { get; }

    public bool[] SignatureValid { get; }

    /// <summary>Each market's transactions in block order.</summary>
    public Dictionary<uint, List<MarketTx>> Routed { get; } = [];

    public List<uint> Created { get; } = [];

    /// <summary>Markets that run in phase B, in id order.</summary>
    public List<uint> Touched { get; } = [];

    public MarketShard[] Shards { get; set; } = [];

    public List<Withdrawal> Withdrawals { get; } = [];

    public ulong NextDepositIndex { get; set; }

    public long TotalDeposits { get; set; }

    public long TotalWithdrawals { get; set; }

    public void Route(uint market, int index, in Transaction tx)
    {
        if (!Routed.TryGetValue(market, out var list))
        {
            Routed[market] = list = [];
        }
        list.Add(new MarketTx(index, tx));
    }
}
