using System.Diagnostics;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Node.Bridge;

namespace Rollup.Node.Tests.Bridge;

/// <summary>The withdraw tool's retry rule on its own: what is tried again, how long, and what it says.</summary>
public class L1RetryBudgetTests
{
    private static readonly L1UnavailableException NoAnswer = new("eth_call: cannot reach http://127.0.0.1:1/: Connection refused") { Method = "eth_call" };

    [Fact]
    public async Task Run_FaultsThatPass_RetriedWithALinePerFaultAndOneOnRecovery()
    {
        using var progress = new StringWriter();
        var budget = new L1RetryBudget(TimeSpan.FromSeconds(10), progress) { FirstPause = TimeSpan.FromMilliseconds(1) };
        var calls = 0;
        var result = await budget.RunAsync("reading the claim", _ => ++calls < 3 ? throw NoAnswer : Task.FromResult(42), default);

        Assert.Equal(42, result);
        Assert.Equal(3, calls);
        Assert.Equal(2, budget.Retries);
        var lines = progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("L1 fault during reading the claim (L1UnavailableException: eth_call: cannot reach", lines[0], StringComparison.Ordinal);
        Assert.Contains("attempt 2 failed", lines[1], StringComparison.Ordinal);
        Assert.Equal("L1 answers again: reading the claim done at attempt 3", lines[2].TrimEnd());
    }

    [Fact]
    public async Task Run_RefusalByTheContract_NotRetried()
    {
        using var progress = new StringWriter();
        var budget = new L1RetryBudget(TimeSpan.FromSeconds(10), progress) { FirstPause = TimeSpan.FromMilliseconds(1) };
        var calls = 0;
        await Assert.ThrowsAsync<L1RevertedException>(() => budget.RunAsync<int>("sending claimWithdrawal", _ => { calls++; throw new L1RevertedException("claimWithdrawal refused: AlreadyClaimed"); }, default));
        var reverted = new L1CallRevertedException("eth_estimateGas: execution reverted") { Method = "eth_estimateGas", Code = 3, RpcMessage = "execution reverted", RevertData = [] };
        await Assert.ThrowsAsync<L1CallRevertedException>(() => budget.RunAsync<int>("sending claimWithdrawal", _ => { calls++; throw reverted; }, default));

        Assert.Equal(2, calls);
        Assert.Equal(0, budget.Retries);
        Assert.Equal("", progress.ToString());
    }

    [Fact]
    public async Task Run_FaultsOutlastTheBudget_GivesUpWithinItNamingTheStepAndTheLastFault()
    {
        var budget = new L1RetryBudget(TimeSpan.FromSeconds(1), TextWriter.Null) { FirstPause = TimeSpan.FromMilliseconds(20), MaxPause = TimeSpan.FromMilliseconds(40) };
        var started = Stopwatch.GetTimestamp();
        var calls = 0;
        var exhausted = await Assert.ThrowsAsync<L1RetryBudgetExhaustedException>(() => budget.RunAsync<int>("reading finality", _ => { calls++; throw NoAnswer; }, default));
        var took = Stopwatch.GetElapsedTime(started);

        // It starts no pause that would end past the budget, so it gives up less than one pause (40 ms) before the budget's
        // end; after it, by what the last attempt and the timers took (generous: 2 cores shared with other test runs).
        Assert.True(took >= TimeSpan.FromMilliseconds(960) && took < TimeSpan.FromMilliseconds(2_500), $"took {took.TotalMilliseconds:F0} ms on a 1 s budget");
        Assert.True(calls >= 3, $"{calls} attempts"); // nominally about 25 (pauses of 20, then 40 ms), fewer when timers overshoot
        Assert.StartsWith($"reading finality: L1 still failing after {calls} attempts", exhausted.Message, StringComparison.Ordinal);
        Assert.Contains("retry budget 1 s", exhausted.Message, StringComparison.Ordinal);
        Assert.Same(NoAnswer, exhausted.InnerException);
    }
}
