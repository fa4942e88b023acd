using Rollup.Execution.Transactions;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;

namespace Rollup.Node.Devnet;

/// <summary>Signs and submits a devnet account's transactions to the in-process sequencer, keeping its nonce.</summary>
internal sealed class DevSigner(Sequencer.Sequencer sequencer, PrivateKey key)
{
    private ulong? _next;

    public async Task<SubmitResult> SubmitAsync(Transaction tx)
    {
        _next ??= sequencer.Read(engine => engine.TryGetNonceWindow(key.Address, out var window) && window.Highest is { } highest ? highest + 1 : 0);
        for (var attempt = 0; ; attempt++)
        {
            var signed = TransactionSigning.Sign(tx with { Account = key.Address, Nonce = _next.Value }, key, sequencer.Read(engine => engine.Domain));
            var result = await sequencer.SubmitAsync(signed).ConfigureAwait(false);
            _next++;
            // A nonce still waiting in the log from before a restart: take the next one.
            if (result.Status != SubmitStatus.Replayed || attempt > 64)
            {
                return result;
            }
        }
    }
}
