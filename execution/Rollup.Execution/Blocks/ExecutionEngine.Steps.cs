using Rollup.Execution.State;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Execution.Blocks;

public sealed partial class ExecutionEngine
{
    /// <summary>
    /// The accounts domain's state at the head, for a trace builder to start from (docs/steps.md): every account
    /// record, the markets that exist, the deposit cursor and totals. A copy: the engine goes on unaffected.
    /// </summary>
    public AccountsSnapshot SnapshotAccounts()
    {
        var accounts = new List<(Address, byte[])>(_accounts.Count);
        foreach (var (address, state) in _accounts)
        {
            accounts.Add((address, StateRecords.EncodeAccount(state)));
        }
        var markets = new List<uint>(_markets.Keys);
        markets.Sort();
        return new AccountsSnapshot(accounts, markets, _head.NextDepositIndex, _head.TotalDeposits, _head.TotalWithdrawals);
    }

    /// <summary>The accounts domain's lasting state at the head, with the head's number: where a rewind starts.</summary>
    public AccountsDomainHead AccountsDomainAtHead() =>
        new(_head.BlockNumber, [.. _markets.Keys], _head.TotalDeposits, _head.TotalWithdrawals);

    /// <summary>The accounts domain's lasting state after block <paramref name="number"/> (at most the head): see <see cref="AccountsDomainHistory"/>.</summary>
    public AccountsDomainState AccountsDomainStateAfter(ulong number) => AccountsDomainHistory.After(AccountsDomainAtHead(), number, GetBlock);
}

/// <summary>The markets and totals of the accounts domain at a head block (its accounts root and deposit cursor are in the block's record).</summary>
public sealed record AccountsDomainHead(ulong BlockNumber, IReadOnlyCollection<uint> Markets, long TotalDeposits, long TotalWithdrawals);

/// <summary>
/// The accounts domain's lasting state after a past block, for a claim of the batch that starts after it: the head's,
/// with what the blocks since then changed taken back (the markets they created, the deposits and withdrawals they
/// accepted); the accounts root and deposit cursor as that block's record holds them. Reads blocks through
/// <c>blocks</c>, so a node can take the head under its lock and read the (immutable) records outside it.
/// </summary>
public static class AccountsDomainHistory
{
    public static AccountsDomainState After(AccountsDomainHead head, ulong number, Func<ulong, BlockRecord?> blocks)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(blocks);
        if (number > head.BlockNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, $"the head is block {head.BlockNumber}");
        }
        var markets = new HashSet<uint>(head.Markets);
        var (deposits, withdrawals) = (head.TotalDeposits, head.TotalWithdrawals);
        for (var later = number + 1; later <= head.BlockNumber; later++)
        {
            var record = blocks(later) ?? throw new InvalidDataException($"block {later} is not in the store");
            for (var i = 0; i < record.Receipts.Length; i++)
            {
                if (!record.Receipts[i].IsAccepted)
                {
                    continue;
                }
                var tx = record.Block.Transactions[i];
                switch (tx.Kind)
                {
                    case Transactions.TxKind.CreateMarket:
                        markets.Remove(tx.Market);
                        break;
                    case Transactions.TxKind.Deposit:
                        deposits -= (long)tx.Amount;
                        break;
                    case Transactions.TxKind.Withdraw:
                        withdrawals -= (long)tx.Amount;
                        break;
                }
            }
        }
        if (number == 0)
        {
            return new AccountsDomainState(Hash256.Zero, [.. markets], 0, deposits, withdrawals);
        }
        var at = blocks(number) ?? throw new InvalidDataException($"block {number} is not in the store");
        return new AccountsDomainState(at.AccountsRoot, [.. markets], at.NextDepositIndex, deposits, withdrawals);
    }
}
