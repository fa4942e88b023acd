using Rollup.Bridge.Deposits;

namespace Rollup.Node.Bridge;

/// <summary>Confirmed L1 deposits into the sequencer's log (in queue order, each once: the sequencer enforces it).</summary>
public sealed class SequencerDepositSink(Sequencer.Sequencer sequencer) : IDepositSink
{
    public ulong NextDepositIndex => sequencer.NextDepositIndex;

    public Task CreditAsync(QueuedDeposit deposit, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return sequencer.AppendSystemAsync(deposit.ToTransaction());
    }

    public ValueTask<CreditedDeposit?> GetCreditedAsync(ulong index, CancellationToken cancellation) =>
        ValueTask.FromResult(sequencer.FindCreditedDeposit(index) is { } tx ? new CreditedDeposit(index, tx.Account, tx.Amount) : null);
}
