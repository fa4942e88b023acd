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

    /// <summary>A commitment field no game decides: still serving (degraded), naming the batch and the field; a fault outranks it.</summary>
    [Fact]
    public async Task Health_AfterAnUndecidedField_DegradedNamingTheBatchAndTheField()
    {
        ValidationReport? fault = null;
        var undecided = new ValidationReport(2, 20, 29, [], []) { Undecided = ["tx root: ours 0xaa, committed 0xbb"] };
        var check = new ValidatorHealthCheck(() => fault, () => undecided);
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("batch 2's commitment", result.Description, StringComparison.Ordinal);
        Assert.Contains("tx root: ours 0xaa, committed 0xbb", result.Description, StringComparison.Ordinal);

        fault = new ValidationReport(4, 40, 49, ["the accounts domain's claim: posted from 0x1 to 0x2 in 3 steps, ours from 0x1 to 0x3 in 3 steps"], []);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }
}
