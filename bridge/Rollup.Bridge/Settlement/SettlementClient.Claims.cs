using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>A domain's claim (start and end step states, step count) against the committed batches' claims roots.</summary>
public sealed partial class SettlementClient
{
    /// <summary>L1's own check (<c>claimIncluded</c>) that batch <paramref name="batchIndex"/> claims <paramref name="domain"/> as <paramref name="claim"/> says.</summary>
    public Task<bool> IsClaimIncludedAsync(ulong batchIndex, DomainId domain, DomainClaim claim, IReadOnlyList<Hash256> siblings, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(siblings);
        var words = new List<byte[]>(siblings.Count);
        foreach (var sibling in siblings)
        {
            words.Add(sibling.ToArray());
        }
        return CallAsync<bool>("claimIncluded", BlockParameter.CreateLatest(), cancellation,
            batchIndex, domain.Kind, domain.Market, claim.Start.ToArray(), claim.End.ToArray(), claim.Steps, words);
    }
}
