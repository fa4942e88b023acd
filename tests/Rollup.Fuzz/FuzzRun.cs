using System.Diagnostics;

namespace Rollup.Fuzz;

/// <summary>What a run found and measured.</summary>
public sealed record FuzzReport(string Target, long Inputs, long Accepted, long Rejected, IReadOnlyList<FuzzFinding> Findings, double Seconds, double SlowestMs, long LargestAllocation)
{
    public override string ToString() =>
        $"{Target}: {Inputs:N0} inputs in {Seconds:F1} s ({Inputs / Math.Max(Seconds, 1e-9):N0}/s), {Accepted:N0} accepted, {Rejected:N0} rejected, " +
        $"{Findings.Count} findings, slowest {SlowestMs:F1} ms, largest allocation {LargestAllocation / 1024.0:N0} KiB";
}

/// <summary>An input that broke a rule, with what happened.</summary>
public sealed record FuzzFinding(byte[] Input, string What);

/// <summary>
/// The seeded mutational loop: each input is a mutation of a seed (a few are the seeds themselves), run through the
/// target; an exception out of it, an input slower than <see cref="SlowLimit"/> or one allocating more than
/// <see cref="AllocationLimit"/> on its thread is a finding. Findings are kept (the first <see cref="MaxFindings"/>)
/// and, with a directory, written there as files to replay.
/// </summary>
public static class FuzzRun
{
    public static readonly TimeSpan SlowLimit = TimeSpan.FromSeconds(2);
    public const long AllocationLimit = 64L << 20;
    public const int MaxFindings = 20;

    public static FuzzReport Run(FuzzTarget target, long inputs, int seed, string? findingsDirectory = null, Action<long, FuzzReport>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var mutator = new Mutator(seed);
        var seeds = target.Seeds;
        var findings = new List<FuzzFinding>();
        long accepted = 0, rejected = 0, failed = 0, largest = 0;
        var slowest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var lastProgress = clock.Elapsed;
        for (long i = 0; i < inputs; i++)
        {
            var seedInput = seeds[mutator.Random.Next(seeds.Count)];
            var input = mutator.Random.Next(50) == 0 ? seedInput : mutator.Mutate(seedInput, seeds[mutator.Random.Next(seeds.Count)]);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (target.Run(input) == FuzzOutcome.Accepted)
                {
                    accepted++;
                }
                else
                {
                    rejected++;
                }
            }
            catch (Exception error)
            {
                failed++;
                Record(findings, input, $"{error.GetType().Name}: {error.Message}", findingsDirectory, target.Name);
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            slowest = elapsed > slowest ? elapsed : slowest;
            largest = Math.Max(largest, allocated);
            if (elapsed > SlowLimit)
            {
                Record(findings, input, $"slow: {elapsed.TotalMilliseconds:F0} ms", findingsDirectory, target.Name);
            }
            if (allocated > AllocationLimit)
            {
                Record(findings, input, $"allocated {allocated:N0} bytes", findingsDirectory, target.Name);
            }
            if (progress is not null && clock.Elapsed - lastProgress > TimeSpan.FromSeconds(10))
            {
                lastProgress = clock.Elapsed;
                progress(i + 1, Report());
            }
        }
        try
        {
            target.CheckAfterRun();
        }
        catch (Exception error)
        {
            Record(findings, [], $"after the run: {error.GetType().Name}: {error.Message}", findingsDirectory, target.Name);
        }
        return Report();

        FuzzReport Report() => new(target.Name, accepted + rejected + failed, accepted, rejected, [.. findings], clock.Elapsed.TotalSeconds, slowest.TotalMilliseconds, largest);
    }

    private static void Record(List<FuzzFinding> findings, byte[] input, string what, string? directory, string target)
    {
        if (findings.Count >= MaxFindings)
        {
            return;
        }
        findings.Add(new FuzzFinding(input, what));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            var name = Path.Combine(directory, $"{target}-{findings.Count:D2}");
            File.WriteAllBytes(name + ".bin", input);
            File.WriteAllText(name + ".txt", what + Environment.NewLine);
        }
    }
}
