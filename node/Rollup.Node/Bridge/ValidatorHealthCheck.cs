using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rollup.Bridge.Validation;

namespace Rollup.Node.Bridge;

/// <summary>
/// A validator's health: unhealthy (NOT_SERVING), naming the batch and what differs, once a committed batch disagreed
/// with its own execution. It goes on serving its own state; health says that state is not L1's. Degraded (still
/// serving) once a commitment named fields no game decides that are not its own (its claims agreed, so it went on).
/// </summary>
public sealed class ValidatorHealthCheck(Func<ValidationReport?> fault, Func<ValidationReport?>? undecided = null) : IHealthCheck
{
    public const string Name = "validator";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            fault() is { } report ? HealthCheckResult.Unhealthy(Describe(report))
            : undecided?.Invoke() is { } field ? HealthCheckResult.Degraded(DescribeUndecided(field))
            : HealthCheckResult.Healthy("agrees with every committed batch so far"));

    public static string Describe(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var markets = report.FaultyMarkets.Count > 0 ? $" (markets {string.Join(", ", report.FaultyMarkets)})" : "";
        return $"disagrees with L1 batch {report.BatchIndex} (blocks {report.FirstBlock}-{report.LastBlock}){markets}: {string.Join("; ", report.Mismatches)}";
    }

    public static string DescribeUndecided(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"agrees with every claim so far, but L1 batch {report.BatchIndex}'s commitment is not its execution in fields no game decides: {string.Join("; ", report.Undecided)}";
    }
}
