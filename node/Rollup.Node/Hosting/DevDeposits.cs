using System.Globalization;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Node.Hosting;

/// <summary>Credits <see cref="NodeOptions.DevDeposits"/> as the chain's first deposits, on a fresh log only.</summary>
public static class DevDeposits
{
    public static async Task<int> ApplyAsync(NodeOptions options, Sequencer.Sequencer sequencer)
    {
        if (options.DevDeposits.Count == 0)
        {
            return 0;
        }
        if (Address.TryParse(options.SettlementContract, out var contract) && !contract.IsZero)
        {
            throw new OptionsException("Node:DevDeposits is for a devnet without L1: with a settlement contract, deposits come from L1 only");
        }
        if (sequencer.Read(engine => engine.Head.NextDepositIndex) != 0 || sequencer.LoggedTransactions != 0)
        {
            return 0;
        }
        var index = 0UL;
        foreach (var entry in options.DevDeposits)
        {
            var parts = entry.Split(':');
            if (parts.Length != 2 || !Address.TryParse(parts[0], out var account) || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount == 0)
            {
                throw new OptionsException($"Node:DevDeposits entry is not address:amount: '{entry}'");
            }
            await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = account, Amount = amount, DepositIndex = index++ });
        }
        return options.DevDeposits.Count;
    }
}
