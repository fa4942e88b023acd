using Rollup.Primitives;
using Rollup.Primitives.Eip712;

namespace Rollup.Execution.Steps;

/// <summary>
/// What a step of the accounts domain takes besides the state and the witness: the chain's constants (the EIP-712
/// domain, the operator keys) and the batch's inputs: the roots of its transactions and blocks, and the outbox root
/// each market it touched claims at the batch's end (docs/steps.md, "The batch inputs").
/// </summary>
public sealed record AccountsStepContext(
    Eip712Domain Domain,
    IReadOnlyCollection<Address> Operators,
    Hash256 TxRoot,
    Hash256 BlocksRoot,
    IReadOnlyDictionary<uint, Hash256> MarketOutboxes);

/// <summary>The L1 deposit queue's record at a Deposit's index: what the step checks the transaction against.</summary>
public readonly record struct L1Deposit(Address Account, ulong Amount);

/// <summary>What one step decided, for its trace: a receipt of this domain's, a transaction routed to a market, or neither.</summary>
public readonly record struct AccountsStepOutcome(ulong Sequence, Blocks.TxStatus? Status, uint? RoutedTo, Address? Credited, long Credit);
