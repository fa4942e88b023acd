using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Testing;

namespace Rollup.Fuzz;

/// <summary>Valid inputs to start from: a seeded trading flow's signed transactions and blocks, as the node makes them.</summary>
public static class FuzzSeeds
{
    public const ulong ChainId = 31337;
    public static readonly Address Contract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    public static readonly Eip712Domain Domain = RollupDomain.Create(ChainId, Contract);

    /// <summary>Three blocks of the seeded flow: every kind the flow makes (market creation, oracle updates, orders, cancels, deposits, transfers, withdrawals).</summary>
    public static IReadOnlyList<Block> Blocks(int count = 3, int transactionsPerBlock = 60)
    {
        var flow = new ChainFlowGenerator(seed: 5, markets: 3, accounts: 12, signingDomain: Domain);
        var blocks = new List<Block>();
        for (var i = 0; i < count; i++)
        {
            blocks.Add(flow.Next(transactionsPerBlock));
        }
        return blocks;
    }

    /// <summary>Up to <paramref name="perKind"/> encoded transactions of each kind in the seeded flow.</summary>
    public static IReadOnlyList<byte[]> EncodedTransactions(int perKind = 4)
    {
        var byKind = new Dictionary<TxKind, int>();
        var seeds = new List<byte[]>();
        var buffer = new byte[TransactionCodec.MaxEncodedLength];
        foreach (var block in Blocks())
        {
            foreach (var tx in block.Transactions)
            {
                var seen = byKind.GetValueOrDefault(tx.Kind);
                if (seen >= perKind)
                {
                    continue;
                }
                byKind[tx.Kind] = seen + 1;
                seeds.Add(buffer.AsSpan(0, TransactionCodec.Encode(tx, buffer)).ToArray());
            }
        }
        return seeds;
    }
}
