using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// What a market step takes besides its state and witness: the batch's inputs (the roots of its transactions and
/// blocks, and the accounts domain's claimed outbox root, which holds the transactions routed to each market) and
/// the step function's bounds.
/// </summary>
/// <param name="BookOpsPerStep">F: fills and self-trade cancels one step makes at most; the rest of a sweep goes on in the next.</param>
/// <param name="CancelsPerStep">C: orders one step of a cancel-all cancels at most.</param>
public sealed record MarketStepContext(Hash256 TxRoot, Hash256 BlocksRoot, Hash256 AccountsOutboxRoot, int BookOpsPerStep = MarketStepContext.DefaultBookOps, int CancelsPerStep = MarketStepContext.DefaultCancels)
{
    public const int DefaultBookOps = 4;
    public const int DefaultCancels = 8;
}

/// <summary>The market step kinds (docs/steps.md, "Its steps"); which one comes next is read from the state and, in the inbox, from whether the next message is there.</summary>
public enum MarketStepKind : byte
{
    BlockStart = 1,
    Message = 2,
    Continue = 3,
    InboxEnd = 4,
    Mark = 5,
    LiquidationStart = 6,
    LiquidationContinue = 7,
    NoneLeft = 8,
    MarkAgain = 9,
}

/// <summary>
/// What one market step decided: the receipt of one of the block's transactions, if it decided one, or of a bulk's item
/// <see cref="Item"/> (a bulk refused whole has no item).
/// </summary>
public readonly record struct MarketStepOutcome(MarketStepKind Kind, ulong Sequence, Blocks.TxStatus? Status, int? Item = null);
