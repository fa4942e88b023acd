using Rollup.Primitives;

namespace Rollup.Execution.Blocks;

/// <summary>Kinds of <see cref="ExecutionEvent"/>. Wire values: never renumber.</summary>
public enum EventKind : byte
{
    /// <summary>
    /// A trade: Account is the taker, Counterparty the maker, at Price for Size; OrderId the taker's order, OtherOrderId the
    /// maker's; Amount the taker's fee, OtherAmount the maker's; IsBuy the taker's side.
    /// </summary>
    Fill = 1,
    /// <summary>Self-trade prevention cancelled the account's resting order OrderId.</summary>
    SelfTradeCancel = 2,
    /// <summary>A resting order was cancelled (by its owner, a cancel-all or a liquidation).</summary>
    OrderCancelled = 3,
    /// <summary>Account's position was liquidated: Size closed into the book at up to Price.</summary>
    Liquidation = 4,
    /// <summary>The insurance fund took over Size of Account's position at the bankruptcy Price.</summary>
    InsuranceTakeover = 5,
    /// <summary>Auto-deleveraging: Counterparty's opposite position closed Size against Account at Price; Amount the cash Account received (Counterparty paid it).</summary>
    Deleverage = 6,
    /// <summary>Funding: Account paid (Amount &gt; 0) or received (Amount &lt; 0) funding.</summary>
    Funding = 7,
    /// <summary>The market halted; Amount holds the <see cref="HaltReason"/>.</summary>
    MarketHalted = 8,
    /// <summary>Margin released from a market to Account's free balance (Amount).</summary>
    MarginReleased = 9,
}

/// <summary>One thing that happened during a block, in execution order within its market. Flat, for streams.</summary>
public readonly record struct ExecutionEvent(
    EventKind Kind,
    uint Market,
    int TxIndex,
    Address Account,
    Address Counterparty = default,
    ulong OrderId = 0,
    ulong OtherOrderId = 0,
    long Price = 0,
    long Size = 0,
    long Amount = 0,
    bool IsBuy = false,
    long OtherAmount = 0);

/// <summary>Why a market stopped accepting orders. Wire values: never renumber.</summary>
public enum HaltReason : byte
{
    None = 0,
    /// <summary>The operator paused it.</summary>
    OperatorPause = 1,
    /// <summary>The circuit breaker: the mark moved more than the market allows within its window.</summary>
    MarkMove = 2,
    /// <summary>Executing its transactions threw or broke an invariant; its changes for that block were discarded.</summary>
    Fault = 3,
    /// <summary>Its insurance fund and auto-deleveraging could not absorb a loss.</summary>
    Insolvent = 4,
}
