using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Bridge.Deposits;

/// <summary>A <c>DepositQueued</c> event: deposit <see cref="Index"/> of the L1 queue, seen in block <see cref="L1BlockHash"/>.</summary>
public sealed record QueuedDeposit(ulong Index, Address L2Account, Address From, ulong Amount, ulong L1Block, Hash256 L1BlockHash)
{
    /// <summary>The L2 system transaction that credits it.</summary>
    public Transaction ToTransaction() =>
        new() { Kind = TxKind.Deposit, Account = L2Account, Amount = Amount, DepositIndex = Index };
}
