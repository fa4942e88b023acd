namespace Rollup.Bridge.Disputes;

/// <summary>
/// How the dispute roles run: a round every poll, and a round (or one game's part of it) that fails, say because L1 is
/// away or a move is refused, is said once until its reason changes and tried again next round. A role's loop never
/// ends on a failed round: only cancellation ends it.
/// </summary>
internal static class DisputeRounds
{
    public static async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task> round, Action<Exception> sayFailure, CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(interval);
        var failures = new FailureNotes<int>();
        do
        {
            try
            {
                await round(cancellation).ConfigureAwait(false);
                failures.Clear(0);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                if (failures.IsNew(0, error))
                {
                    sayFailure(error);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
    }
}

/// <summary>The last failure said for each key, so the same one is not said every round.</summary>
internal sealed class FailureNotes<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, string> _said = [];

    /// <summary>True when <paramref name="error"/> is not the failure last said for <paramref name="key"/> (it is noted as said).</summary>
    public bool IsNew(TKey key, Exception error)
    {
        if (_said.TryGetValue(key, out var said) && said == error.Message)
        {
            return false;
        }
        _said[key] = error.Message;
        return true;
    }

    /// <summary>The key's part went well: a failure of it later is new again.</summary>
    public void Clear(TKey key) => _said.Remove(key);
}
