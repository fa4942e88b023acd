using System.Diagnostics;
using System.Globalization;
using Rollup.Bridge.L1;

namespace Rollup.Node.Bridge;

/// <summary>
/// Runs one L1 step of a tool that has no loop of its own to come back later (the withdraw tool) again after a fault that
/// may pass: no answer, a 5xx or garbled answer, a node error that is not a revert, a receipt that did not come. Pauses
/// grow from <see cref="FirstPause"/> to <see cref="MaxPause"/>; each step may spend <see cref="Budget"/>, after which
/// <see cref="L1RetryBudgetExhaustedException"/> carries the last fault. A refusal by the contract is not retried.
/// </summary>
public sealed class L1RetryBudget(TimeSpan budget, TextWriter progress)
{
    public TimeSpan Budget { get; } = budget;

    public TimeSpan FirstPause { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxPause { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Attempts that failed and were made again, over every step.</summary>
    public int Retries { get; private set; }

    public async Task<T> RunAsync<T>(string step, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var started = Stopwatch.GetTimestamp();
        var pause = FirstPause;
        for (var attempts = 1; ; attempts++)
        {
            try
            {
                var result = await attempt(cancellation).ConfigureAwait(false);
                if (attempts > 1)
                {
                    await progress.WriteLineAsync($"L1 answers again: {step} done at attempt {attempts}").ConfigureAwait(false);
                }
                return result;
            }
            catch (Exception error) when (IsTransient(error) && !cancellation.IsCancellationRequested)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed + pause > Budget)
                {
                    throw new L1RetryBudgetExhaustedException(
                        $"{step}: L1 still failing after {attempts} attempts in {Seconds(elapsed)} s (retry budget {Seconds(Budget)} s); the last fault: {Describe(error)}", error);
                }
                Retries++;
                await progress.WriteLineAsync($"L1 fault during {step} ({Describe(error)}): attempt {attempts} failed, again in {Seconds(pause)} s ({Seconds(Budget - elapsed)} s of the retry budget left)").ConfigureAwait(false);
                await Task.Delay(pause, cancellation).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }
    }

    /// <summary>Faults of the connection or the provider, which may pass; not a revert, a missing contract or a bad argument.</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        L1CallRevertedException => false,
        L1UnavailableException or L1ProtocolException or L1RpcException => true,
        TimeoutException or HttpRequestException or Rollup.Bridge.Settlement.L1NonceGapException => true,
        _ => false,
    };

    private static string Describe(Exception error) => $"{error.GetType().Name}: {error.Message}";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>L1 kept failing for longer than a step's retry budget. Run the tool again later: it reads L1 first, so a claim that did land is not sent twice.</summary>
public sealed class L1RetryBudgetExhaustedException : Exception
{
    public L1RetryBudgetExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public L1RetryBudgetExhaustedException()
    {
    }

    public L1RetryBudgetExhaustedException(string message)
        : base(message)
    {
    }
}
