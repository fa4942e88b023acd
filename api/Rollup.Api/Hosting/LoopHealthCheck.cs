using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Rollup.Api.Hosting;

/// <summary>
/// The node's health as gRPC health reports it for the server as a whole: healthy while every background loop runs,
/// unhealthy (NOT_SERVING), with the loop and the reason, once one has failed.
/// </summary>
public sealed class LoopHealthCheck(LoopFaults faults) : IHealthCheck
{
    public const string Name = "loops";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(faults.First is { } fault ? HealthCheckResult.Unhealthy(fault.ToString()) : HealthCheckResult.Healthy("every loop runs"));
}
