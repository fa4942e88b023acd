using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Rollup.Execution.State.Ordered;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;

namespace Rollup.Bridge.Steps;

/// <summary>
/// A market step's structs as Nethereum's ABI encoder takes them (<c>MarketStepVerifier.step</c>, docs/market-verifier.md):
/// the twenty state words, the record and pending bytes they commit to, the context, the witness's two streams.
/// </summary>
internal static class MarketStepAbi
{
    /// <summary>The state's twenty words in MarketState.AbiEncode's order.</summary>
    public static object[] State(MarketState s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return
        [
            s.Market, s.Block, s.Timestamp, s.NextMessage, (byte)s.Phase, MarketState.HashOf(s.Record).ToArray(),
            s.Positions.Hash.ToArray(), CountSize(s.Positions), s.Bids.Hash.ToArray(), CountSize(s.Bids),
            s.Asks.Hash.ToArray(), CountSize(s.Asks), s.Longs.Hash.ToArray(), CountSize(s.Longs),
            s.Shorts.Hash.ToArray(), CountSize(s.Shorts), s.Outbox.ToArray(), s.Receipts.ToArray(),
            MarketState.HashOf(s.Pending).ToArray(), s.LiquidatedThisRound,
        ];
    }

    public static object[] Bytes(MarketState s) => [s.Record, s.Pending];

    public static object[] Context(MarketStepContext c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return [c.TxRoot.ToArray(), c.BlocksRoot.ToArray(), c.AccountsOutboxRoot.ToArray(), (uint)c.BookOpsPerStep, (uint)c.CancelsPerStep];
    }

    /// <summary>The witness split into its streams, each in the order the step reads it.</summary>
    public static object[] Witness(IReadOnlyList<MarketWitnessLeaf> witness)
    {
        ArgumentNullException.ThrowIfNull(witness);
        var inputs = new List<StepLeaf>();
        var ordered = new List<object[]>();
        foreach (var leaf in witness)
        {
            switch (leaf)
            {
                case MarketWitnessLeaf.Input input:
                    inputs.Add(input.Leaf);
                    break;
                case MarketWitnessLeaf.Ordered { Leaf: var o }:
                    ordered.Add([o.Key.ToArray(), o.Record, OrderedProofAbi.Encode(o.Proof)]);
                    break;
            }
        }
        return [AccountsStepAbi.Witness(inputs), ordered];
    }

    /// <summary>The verifier's post state from its outputs (state words, then record and pending bytes).</summary>
    /// <exception cref="InvalidDataException">The words do not commit to the bytes returned with them.</exception>
    public static MarketState DecodeState(List<ParameterOutput> words, List<ParameterOutput> bytes)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(bytes);
        Hash256 H(int i) => new((byte[])words[i].Result);
        ulong U(int i) => (ulong)(BigInteger)words[i].Result;
        OrderedNode Root(int i)
        {
            var countSize = (BigInteger)words[i + 1].Result;
            return new OrderedNode(H(i), (uint)(countSize >> 128), (ulong)(countSize & ulong.MaxValue));
        }
        var record = (byte[])bytes[0].Result;
        var pending = (byte[])bytes[1].Result;
        if (MarketState.HashOf(record) != H(5) || MarketState.HashOf(pending) != H(18))
        {
            throw new InvalidDataException("the verifier's state words do not commit to the record and pending work it returned");
        }
        return new MarketState
        {
            Market = (uint)U(0),
            Block = U(1),
            Timestamp = U(2),
            NextMessage = (uint)U(3),
            Phase = (MarketPhase)U(4),
            Record = record,
            Positions = Root(6),
            Bids = Root(8),
            Asks = Root(10),
            Longs = Root(12),
            Shorts = Root(14),
            Outbox = H(16),
            Receipts = H(17),
            Pending = pending,
            LiquidatedThisRound = (bool)words[19].Result,
        };
    }

    private static BigInteger CountSize(in OrderedNode node) => (new BigInteger(node.Count) << 128) | node.Size;
}
