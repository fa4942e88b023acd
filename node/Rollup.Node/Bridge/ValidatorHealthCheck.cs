using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rollup.Bridge.Validation;

namespace Rollup.Node.Bridge;

/// <summary>
/// A validator's health: unhealthy (NOT_SERVING), naming the batch and what differs, once a committed batch disagreed
/// with its own execution. It goes on serving its own state; health says that state is not L1's.
/// </summary>
public sealed class ValidatorHealthCheck(Func<ValidationReport?> fault) : IHealthCheck
{
    public const string Name = "validator";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(fault() is { } report ? HealthCheckResult.Unhealthy(Describe(report)) : HealthCheckResult.Healthy("agrees with every committed batch so far"));

    public static string Describe(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var markets = report.FaultyMarkets.Count > 0 ? $" (markets {string.Join(", ", report.FaultyMarkets)})" : "";
        return $"disagrees with L1 batch {report.BatchIndex} (blocks {report.FirstBlock}-{report.LastBlock}){markets}: {string.Join("; ", report.Mismatches)}";
    }
}
