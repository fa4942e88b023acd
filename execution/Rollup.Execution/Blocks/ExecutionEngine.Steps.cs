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
            var record = new byte[StateRecords.AccountLength];
            StateRecords.EncodeAccount(state, record);
            accounts.Add((address, record));
        }
        var markets = new List<uint>(_markets.Keys);
        markets.Sort();
        return new AccountsSnapshot(accounts, markets, _head.NextDepositIndex, _head.TotalDeposits, _head.TotalWithdrawals);
    }
}
