using Rollup.Fuzz;

namespace Rollup.Node.Tests.Fuzzing;

/// <summary>
/// The short fixed-seed run of every fuzz target (scripts/fuzz runs 10^6 inputs each, and afl++): no finding, and the
/// run reached both outcomes, so the mutations neither all broke the input's framing nor all left it valid.
/// </summary>
public class FuzzShortRunTests
{
    [Theory]
    [InlineData("tx", 20_000)]
    [InlineData("batch", 20_000)]
    [InlineData("l1log", 20_000)]
    [InlineData("l1receipt", 20_000)]
    [InlineData("config", 20_000)]
    [InlineData("submit", 3_000)]
    public void A_fixed_seed_run_finds_nothing(string name, int inputs)
    {
        using var target = FuzzTargets.Create(name);
        var report = FuzzRun.Run(target, inputs, seed: 1);
        Assert.True(report.Findings.Count == 0, report + Environment.NewLine + string.Join(Environment.NewLine, report.Findings.Select(f => $"{f.What}: {Convert.ToHexStringLower(f.Input)}")));
        Assert.Equal(inputs, report.Inputs);
        Assert.True(report.Accepted > 0 && report.Rejected > 0, report.ToString());
    }

    [Fact]
    public void The_runner_reports_an_exception_out_of_a_target_as_a_finding_with_its_input()
    {
        using var target = new Throwing();
        var report = FuzzRun.Run(target, 100, seed: 3);
        Assert.Equal(FuzzRun.MaxFindings, report.Findings.Count); // kept; every input is still counted
        Assert.Equal(100, report.Inputs);
        Assert.All(report.Findings, f => Assert.Equal("InvalidDataException: boom", f.What));
        Assert.All(report.Findings, f => Assert.Contains((byte)0x42, f.Input));
    }

    private sealed class Throwing : FuzzTarget
    {
        public override string Name => "throwing";

        public override IReadOnlyList<byte[]> Seeds { get; } = [[0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42]];

        public override FuzzOutcome Run(ReadOnlySpan<byte> input) => input.IndexOf((byte)0x42) >= 0 ? throw new InvalidDataException("boom") : FuzzOutcome.Rejected;
    }
}
