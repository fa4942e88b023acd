using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rollup.Bridge.Validation;
using Rollup.Node.Bridge;

namespace Rollup.Node.Tests.Bridge;

public sealed class ValidatorHealthCheckTests
{
    [Fact]
    public async Task Health_BeforeAndAfterADisagreement_HealthyThenUnhealthyNamingTheBatchAndTheField()
    {
        ValidationReport? fault = null;
        var check = new ValidatorHealthCheck(() => fault);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        fault = new ValidationReport(4, 40, 49, ["state root: L1 says 0xaa, this validator computed 0xbb"], [3u]);
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("batch 4", result.Description, StringComparison.Ordinal);
        Assert.Contains("markets 3", result.Description, StringComparison.Ordinal);
        Assert.Contains("state root", result.Description, StringComparison.Ordinal);
    }
}
