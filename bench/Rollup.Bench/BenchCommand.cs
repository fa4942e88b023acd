using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Rollup.Bench;

internal static class BenchCommand
{
    public static int Run(string[] args)
    {
        switch (args.Length > 0 ? args[0] : "")
        {
            case "ceiling":
                return RecoveryCeiling.Run(args.AsSpan(1));
            case "engine":
                return Custom.EngineBench.Run(args.AsSpan(1));
            case "stateroot":
                return Custom.StateRootBench.Run(args.AsSpan(1));
            case "statetree":
                return Custom.StateTreeBench.Run(args.AsSpan(1));
            case "batches":
                return Custom.BatchBench.Run(args.AsSpan(1));
            case "steps":
                return Custom.StepBench.Run(args.AsSpan(1));
            case "retention":
                return Custom.RetentionBench.Run(args.AsSpan(1));
            case "replay":
                return Custom.ReplayBench.Run(args.AsSpan(1));
            case "load":
                return LoadGenerator.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        // Short runs by default: enough for a figure on a 2-core machine in minutes, not hours.
        var config = DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary);
        if (!args.Contains("--job") && !args.Contains("-j"))
        {
            config = config.AddJob(Job.ShortRun.WithId("short"));
        }
        var benchArgs = args.Length == 0 ? ["--filter", "*"] : args;
        var summaries = BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(benchArgs, config);
        foreach (var summary in summaries)
        {
            WriteResults(summary);
        }
        return 0;
    }

    private static void WriteResults(Summary summary)
    {
        var byType = new Dictionary<string, List<Figure>>();
        foreach (var report in summary.Reports)
        {
            var stats = report.ResultStatistics;
            if (stats is null)
            {
                continue;
            }
            var benchmark = report.BenchmarkCase;
            var type = benchmark.Descriptor.Type.Name;
            var name = type + "." + benchmark.Descriptor.WorkloadMethod.Name;
            if (benchmark.HasParameters)
            {
                name += "(" + benchmark.Parameters.PrintInfo + ")";
            }
            if (!byType.TryGetValue(type, out var figures))
            {
                byType[type] = figures = [];
            }
            figures.Add(new Figure(name, Math.Round(1e9 / stats.Mean, 1), "op/s"));
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark);
            if (allocated is { } bytes)
            {
                figures.Add(new Figure(name + " allocated", bytes, "B/op"));
            }
        }
        foreach (var (type, figures) in byType)
        {
            BenchResults.Write(type, figures);
        }
    }
}
