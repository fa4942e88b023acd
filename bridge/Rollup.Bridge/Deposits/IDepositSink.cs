namespace Rollup.Bridge.Deposits;

/// <summary>Where confirmed deposits go: the sequencer's log, which takes them in queue order, each once.</summary>
public interface IDepositSink
{
    /// <summary>The queue index the next credited deposit must have.</summary>
    ulong NextDepositIndex { get; }

    /// <summary>Makes the deposit durable in the L2 (completes once it is).</summary>
    Task CreditAsync(QueuedDeposit deposit, CancellationToken cancellation);

    /// <summary>What the L2 credited at queue <paramref name="index"/>, or null if it cannot tell (never credited, or no longer stored).</summary>
    ValueTask<CreditedDeposit?> GetCreditedAsync(ulong index, CancellationToken cancellation);
}
