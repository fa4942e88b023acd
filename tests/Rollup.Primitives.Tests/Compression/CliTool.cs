using System.Diagnostics;
using System.Text;

namespace Rollup.Primitives.Tests.Compression;

/// <summary>Runs the Debian <c>lz4</c> and <c>zstd</c> command-line tools, failing loudly on a non-zero exit or a hang.</summary>
internal static class CliTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static void Run(string tool, params string[] arguments) => Run(tool, arguments, writeStandardInput: null);

    public static void Run(string tool, IReadOnlyList<string> arguments, Action<Stream>? writeStandardInput)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = writeStandardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (writeStandardInput is not null)
        {
            using (var stdin = process.StandardInput.BaseStream)
            {
                writeStandardInput(stdin);
            }
        }
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish within {Timeout}");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {Snapshot(output)}");
        }
    }

    /// <summary>Streams <paramref name="length"/> zero bytes, a mebibyte at a time, so the test itself never holds them.</summary>
    public static Action<Stream> Zeros(long length) => stream =>
    {
        var chunk = new byte[1 << 20];
        for (var left = length; left > 0; left -= chunk.Length)
        {
            stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        }
    };

    public static Action<Stream> Bytes(byte[] data) => stream => stream.Write(data);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}

/// <summary>A temporary directory for tool input and output, removed with the test class.</summary>
public sealed class TempDirectory : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rollup-compression-");

    public string File(string name) => Path.Combine(_directory.FullName, name);

    public void Dispose() => _directory.Delete(recursive: true);
}
