using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Rollup.Testing;

namespace Rollup.Node.Tests.Explorer;

/// <summary>
/// A `rollup devnet` process on free loopback ports in a temp directory, up once its banner's ready line is out.
/// Disposing sends it SIGTERM by its PID (it stops its anvil, sequencer and validator) and kills what is left of
/// the tree it started if it does not exit in time.
/// </summary>
internal sealed partial class DevnetUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TempDirectory _directory = new("rollup-explorer-devnet");

    private DevnetUnderTest()
    {
        (L1Port, GrpcPort, ValidatorGrpcPort, HttpPort, MetricsPort) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePortPair(), NodeProcess.FreePortPair());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            NodeProcess.RollupDll(), "devnet", "--data-dir", _directory.Path, "--l1-port", $"{L1Port}", "--grpc-port", $"{GrpcPort}",
            "--validator-grpc-port", $"{ValidatorGrpcPort}", "--metrics-port", $"{MetricsPort}", "--http-port", $"{HttpPort}",
        })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int L1Port { get; }

    public int GrpcPort { get; }

    public int ValidatorGrpcPort { get; }

    /// <summary>The sequencer's HTTP port; the validator's is the next.</summary>
    public int HttpPort { get; }

    public int MetricsPort { get; }

    public string DataDir => _directory.Path;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<DevnetUnderTest> StartAsync(TimeSpan timeout)
    {
        var devnet = new DevnetUnderTest();
        var deadline = Stopwatch.StartNew();
        while (!devnet.Output.Contains("devnet ready in", StringComparison.Ordinal))
        {
            if (devnet._process.HasExited || deadline.Elapsed > timeout)
            {
                var output = devnet.Output;
                await devnet.DisposeAsync();
                throw new InvalidOperationException($"the devnet did not come up in {timeout}:\n{output}");
            }
            await Task.Delay(100); // polling another process's output
        }
        return devnet;
    }

    /// <summary>The settlement contract the devnet deployed (the EIP-712 domain's verifying contract), from its devnet.json.</summary>
    public Rollup.Primitives.Address Settlement()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(DataDir, "devnet.json")));
        return Rollup.Primitives.Address.Parse(json.RootElement.GetProperty("Settlement").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        var anvil = AnvilPid().Match(Output) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        try
        {
            if (!_process.HasExited)
            {
                ExternalSignals.Terminate(_process.Id);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(exit.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            if (anvil != 0 && ExternalSignals.IsAlive(anvil) && File.Exists($"/proc/{anvil}/cmdline") && File.ReadAllText($"/proc/{anvil}/cmdline").Contains("anvil", StringComparison.Ordinal))
            {
                ExternalSignals.Terminate(anvil); // the anvil this devnet started, by its PID, if it outlived the devnet
            }
        }
        finally
        {
            _process.Dispose();
            _directory.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"anvil \(pid (\d+)\)")]
    private static partial Regex AnvilPid();
}
