using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Rollup.Testing;

/// <summary>
/// A `rollup node` started as its own process on a free loopback port, stopped by its PID: gracefully
/// (SIGTERM) or by SIGKILL. Its output is kept for failure messages.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private NodeProcess(Process process, int port, int httpPort, int metricsPort)
    {
        _process = process;
        Port = port;
        HttpPort = httpPort;
        MetricsPort = metricsPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>The node's process id, e.g. to read its /proc/PID/status.</summary>
    public int Pid => _process.Id;

    public int MetricsPort { get; }

    /// <summary>The HTTP/JSON API's port (HTTP/1.1).</summary>
    public int HttpPort { get; }

    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort}");

    public Uri Address => new($"http://127.0.0.1:{Port}");

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

    /// <param name="fileSizeLimitKb">
    /// When set, the node runs under <c>ulimit -f</c> of that many KiB with SIGXFSZ ignored, so a write that would make a
    /// file larger fails with EFBIG: a real write error from RocksDB's own files, for fault tests.
    /// </param>
    /// <param name="command">The <c>rollup</c> command: <c>node</c> (a sequencer) or <c>validator</c>.</param>
    /// <param name="untilServing">Wait for SERVING (true), or only for the health service to answer (a validator that disagrees with L1 answers NOT_SERVING).</param>
    public static async Task<NodeProcess> StartAsync(string dataDir, IDictionary<string, string>? settings = null, int? fileSizeLimitKb = null, string command = "node", bool untilServing = true)
    {
        var port = FreePort();
        var metricsPort = FreePort();
        var httpPort = FreePort();
        var start = new ProcessStartInfo(fileSizeLimitKb is null ? "dotnet" : "bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (fileSizeLimitKb is { } limit)
        {
            // An ignored signal stays ignored across exec. The runtime's W^X double mapping sizes a memfd, which the limit
            // would refuse: it is turned off.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"trap '' XFSZ; ulimit -f {limit}; exec dotnet \"$@\"");
            start.ArgumentList.Add("bash");
            start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        start.ArgumentList.Add(RollupDll());
        start.ArgumentList.Add(command);
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(dataDir);
        start.Environment["ROLLUP__NODE__GRPCENDPOINT"] = $"127.0.0.1:{port}";
        start.Environment["ROLLUP__NODE__METRICSENDPOINT"] = $"127.0.0.1:{metricsPort}";
        start.Environment["ROLLUP__NODE__HTTPENDPOINT"] = $"127.0.0.1:{httpPort}";
        start.Environment["ROLLUP__NODE__BLOCKINTERVALMS"] = "20";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var node = new NodeProcess(Process.Start(start)!, port, httpPort, metricsPort);
        await node.WaitUntilServingAsync(TimeSpan.FromSeconds(60), untilServing);
        return node;
    }

    /// <summary>Polls the health service until it answers SERVING, or anything (readiness, not a sleep standing in for it).</summary>
    private async Task WaitUntilServingAsync(TimeSpan timeout, bool untilServing)
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var health = new Health.HealthClient(channel);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                // Without a timeout this also waits until the redirected output has been read to its end.
                _process.WaitForExit();
                throw new InvalidOperationException($"the node exited with {_process.ExitCode} before serving:\n{Output}");
            }
            try
            {
                var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(1));
                if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving || !untilServing)
                {
                    return;
                }
            }
            catch (RpcException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"the node did not serve within {timeout}:\n{Output}");
    }

    /// <summary>SIGTERM and wait: returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            ExternalSignals.Terminate(_process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
        _process.WaitForExit(); // the redirected output is read to its end too
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself: its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to flush or clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
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

    /// <summary>
    /// A port p such that p and p + 1 are free, for a process that listens on a port and the next (the devnet's
    /// validator). Drawn below the kernel's ephemeral range (32768 and up), so no port another test takes with
    /// <see cref="FreePort"/> can be p + 1 when the process binds it later.
    /// </summary>
    public static int FreePortPair()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 30_000);
            try
            {
                using var first = new TcpListener(IPAddress.Loopback, port);
                using var second = new TcpListener(IPAddress.Loopback, port + 1);
                first.Start();
                second.Start();
                first.Stop();
                second.Stop();
                return port;
            }
            catch (SocketException)
            {
                // taken: draw again
            }
        }
        throw new InvalidOperationException("no two adjacent free ports between 20000 and 30000");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RollupDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = RepositoryPaths.Combine("node", "Rollup.Node", "bin", configuration, "net10.0", "rollup.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the node first: {dll}");
    }
}

/// <summary>Sends POSIX signals to a process we started, by its PID.</summary>
public static partial class ExternalSignals
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    public static void Terminate(int pid)
    {
        if (Kill(pid, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGTERM) failed");
        }
    }

    /// <summary>SIGINT, what Ctrl-C in a terminal sends.</summary>
    public static void Interrupt(int pid)
    {
        if (Kill(pid, SigInt) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGINT) failed");
        }
    }

    /// <summary>Whether a process with this PID still exists (signal 0 checks without sending anything).</summary>
    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
