using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The accounts domain's claim in a batch opened with its end state (<c>AccountsOutboxClaim</c> of
/// <c>OutboxClaims.sol</c>): a market step's routed messages are read from <see cref="End"/>'s outbox root.
/// </summary>
/// <param name="Siblings">The claim's leaf in the batch's claims root, from the root down.</param>
public sealed record AccountsOutboxClaim(Hash256 Start, AccountsState End, ulong Steps, IReadOnlyList<Hash256> Siblings)
{
    /// <summary>The claim the batch commits to: <c>End</c> as its hash.</summary>
    public DomainClaim Claim => new(Start, End.Hash(), Steps);
}

/// <summary>
/// A market's claim in a batch opened with its end state (<c>MarketOutboxClaim</c>): a Reply step of the accounts
/// domain reads the market's margin replies from <see cref="End"/>'s outbox.
/// </summary>
public sealed record MarketOutboxClaim(uint Market, Hash256 Start, MarketState End, ulong Steps, IReadOnlyList<Hash256> Siblings)
{
    public DomainClaim Claim => new(Start, End.Hash(), Steps);
}
