namespace Rollup.Sequencer.Admission;

/// <summary>
/// Lets callers through one at a time in the order of the tickets they took: what keeps admission first come, first
/// served now that recovery runs asynchronously (a batch's checks may finish before those of a batch that came
/// first, but it reaches the nonce windows and the log after it).
/// </summary>
internal sealed class TurnGate
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, TaskCompletionSource> _waiting = [];
    private long _nextTicket;
    private long _turn;

    /// <summary>A place in line; every ticket must be <see cref="WaitAsync">waited for</see> and then <see cref="Leave">left</see>.</summary>
    public long TakeTicket() => Interlocked.Increment(ref _nextTicket) - 1;

    /// <summary>Completes when every earlier ticket has left.</summary>
    public Task WaitAsync(long ticket)
    {
        lock (_lock)
        {
            if (ticket == _turn)
            {
                return Task.CompletedTask;
            }
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add(ticket, waiter);
            return waiter.Task;
        }
    }

    /// <summary>Ends the current turn and lets the next ticket through.</summary>
    public void Leave()
    {
        TaskCompletionSource? next;
        lock (_lock)
        {
            _turn++;
            if (!_waiting.Remove(_turn, out next))
            {
                return;
            }
        }
        next.TrySetResult();
    }
}
