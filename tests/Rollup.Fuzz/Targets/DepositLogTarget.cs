using System.Text;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Fuzz.Targets;

/// <summary>
/// A DepositQueued log as an L1 node answers eth_getLogs, what the deposit watcher credits from: it decodes to a
/// deposit or is refused with <see cref="L1ProtocolException"/>. The input is the log's topics and data: a count byte,
/// that many 32-byte topics, then the data.
/// </summary>
public sealed class DepositLogTarget : FuzzTarget
{
    private const int Word = 32;

    public override string Name => "l1log";

    public override IReadOnlyList<byte[]> Seeds { get; } = MakeSeeds();

    public override FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        if (input.Length == 0 || input.Length < 1 + (input[0] * Word))
        {
            return FuzzOutcome.Rejected; // not a log at all: the node's JSON would not have parsed
        }
        var topics = new object[input[0]];
        for (var i = 0; i < topics.Length; i++)
        {
            topics[i] = "0x" + Convert.ToHexStringLower(input.Slice(1 + (i * Word), Word));
        }
        var log = new FilterLog
        {
            Topics = topics,
            Data = "0x" + Convert.ToHexStringLower(input[(1 + (topics.Length * Word))..]),
            BlockNumber = new HexBigInteger(7),
            BlockHash = "0x" + new string('a', 64),
            Address = FuzzSeeds.Contract.ToString(),
        };
        try
        {
            var deposit = SettlementClient.DecodeDeposit(log);
            return deposit.L1Block == 7 ? FuzzOutcome.Accepted : throw new FuzzFindingException("the deposit's L1 block is not its log's");
        }
        catch (L1ProtocolException)
        {
            return FuzzOutcome.Rejected;
        }
    }

    private static List<byte[]> MakeSeeds()
    {
        var topic0 = Keccak256.Compute(Encoding.ASCII.GetBytes("DepositQueued(uint64,address,address,uint64,uint64)")).Bytes.ToArray();
        var seeds = new List<byte[]>();
        foreach (var (index, amount, l1Block) in new[] { (0UL, 1_000_000UL, 12UL), (41UL, 100_000_000_000UL, 3_000UL), (ulong.MaxValue, ulong.MaxValue, ulong.MaxValue) })
        {
            var seed = new List<byte> { 4 };
            seed.AddRange(topic0);
            seed.AddRange(Uint(index));
            seed.AddRange(AddressWord(Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")));
            seed.AddRange(AddressWord(Address.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")));
            seed.AddRange(Uint(amount));
            seed.AddRange(Uint(l1Block));
            seeds.Add([.. seed]);
        }
        return seeds;
    }

    private static byte[] Uint(ulong value)
    {
        var word = new byte[Word];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(Word - 8), value);
        return word;
    }

    private static byte[] AddressWord(Address address)
    {
        var word = new byte[Word];
        address.Bytes.CopyTo(word.AsSpan(Word - Address.Length));
        return word;
    }
}
