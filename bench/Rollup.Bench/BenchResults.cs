using System.Runtime.InteropServices;
using System.Text.Json;

namespace Rollup.Bench;

/// <summary>One measured figure, as later runs compare it.</summary>
internal sealed record Figure(string Name, double Value, string Unit);

/// <summary>Writes figures to <c>bench/results/NAME.json</c> so runs can be compared over time.</summary>
internal static class BenchResults
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static string Write(string name, IReadOnlyList<Figure> figures)
    {
        var path = Path.Combine(ResultsDirectory(), name + ".json");
        var report = new
        {
            name,
            machine = new
            {
                cores = Environment.ProcessorCount,
                os = RuntimeInformation.OSDescription,
                runtime = RuntimeInformation.FrameworkDescription,
                cpu = CpuModel(),
            },
            figures,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(report, Json) + "\n");
        Console.WriteLine($"results: {path}");
        return path;
    }

    /// <summary>Writes a human-readable summary next to the JSON: <c>bench/results/NAME.md</c>.</summary>
    public static string WriteMarkdown(string name, string markdown)
    {
        var path = Path.Combine(ResultsDirectory(), name + ".md");
        File.WriteAllText(path, markdown.ReplaceLineEndings("\n"));
        Console.WriteLine($"results: {path}");
        return path;
    }

    /// <summary>The machine as the reports describe it: cores, CPU model, OS and runtime.</summary>
    public static string MachineDescription() =>
        $"{Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";

    private static string ResultsDirectory()
    {
        var directory = Path.Combine(FindRepositoryRoot(), "bench", "results");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rollup.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }

    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
        {
            return "unknown";
        }
        foreach (var line in File.ReadLines(cpuinfo))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        return "unknown";
    }
}
