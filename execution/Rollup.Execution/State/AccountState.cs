using Rollup.Execution.Transactions;

namespace Rollup.Execution.State;

/// <summary>An account's global state: its free balance (collateral not in any market), its nonce window, and the part of its free balance held for the markets it came from.</summary>
public sealed class AccountState
{
    /// <summary>Collateral base units, never negative.</summary>
    public long FreeBalance { get; set; }

    /// <summary>Replay protection: see docs/transactions.md, "Nonces". A field, so it is updated in place.</summary>
    internal ReplayWindow Nonces;

    public ReplayWindow NonceWindow => Nonces;

    /// <summary>Margin replies not yet final on L1 (docs/state.md, "Held credits"). A field, so it is updated in place.</summary>
    internal HeldCredits Held;

    public HeldCredits HeldCredits => Held;
}
