using Rollup.Execution.Parallel;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Eip712;

namespace Rollup.Execution.Blocks;

/// <summary>Recovers every signer of a block in parallel; a transaction is valid when its signer is its account.</summary>
internal sealed class SignatureJob(BlockRun run, Eip712Domain domain) : IParallelJob
{
    public void Execute(int index)
    {
        ref readonly var tx = ref run.Block.Transactions[index];
        run.SignatureValid[index] = tx.Kind == TxKind.Deposit
            || (tx.Kind.IsDefined() && (!tx.Kind.CarriesMarketParams() || tx.Params is not null)
                && TransactionSigning.TryRecoverSigner(tx, domain, out var signer) == Primitives.Signatures.SignatureError.None
                && signer == tx.Account);
    }
}
