using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>A block header (time, first sequence, tx count) against the committed batches' blocks roots.</summary>
public sealed partial class SettlementClient
{
    /// <summary>L1's own check (<c>blockIncluded</c>) that batch <paramref name="batchIndex"/> holds block <paramref name="l2Block"/> with this header.</summary>
    public Task<bool> IsBlockIncludedAsync(ulong batchIndex, ulong l2Block, ulong timestamp, ulong firstSequence, uint txCount, IReadOnlyList<Hash256> siblings, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(siblings);
        var words = new List<byte[]>(siblings.Count);
        foreach (var sibling in siblings)
        {
            words.Add(sibling.ToArray());
        }
        return CallAsync<bool>("blockIncluded", BlockParameter.CreateLatest(), cancellation, batchIndex, l2Block, timestamp, firstSequence, txCount, words);
    }
}
