using System.Diagnostics;
using System.Globalization;
using Rollup.Bridge.L1;

namespace Rollup.Node.Devnet;

/// <summary>
/// The devnet's L1: anvil (npm <c>@foundry-rs/anvil-linux-amd64</c>, installed by scripts/setup) on 127.0.0.1,
/// mining a block a second, its chain kept in a state file written every second (so even a SIGKILL loses at most
/// a second) and at exit. Stopped by its PID, never by name. It is started through util-linux's <c>setpriv
/// --pdeathsig TERM</c> from a thread of its own that lives as long as this launcher, so that if this process dies
/// without stopping it (a SIGKILL), the kernel sends anvil SIGTERM: the death signal is tied to the thread that
/// started the child, and a thread-pool thread could retire and stop anvil in the middle of a run. It runs in a session
/// of its own (<c>setsid</c>): Ctrl-C in a terminal signals the whole foreground process group, and anvil stopping at
/// once made the nodes' last L1 calls fail with warnings; the devnet stops it after the nodes.
/// </summary>
internal sealed partial class AnvilLauncher : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const string RelativeBinary = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
    private const string SetPriv = "/usr/bin/setpriv";
    private const string SetSid = "/usr/bin/setsid";
    private readonly Process _process;
    private readonly ManualResetEventSlim _parentThreadMayEnd;
    private readonly string _home;
    private bool _disposed;

    private AnvilLauncher(Process process, ManualResetEventSlim parentThreadMayEnd, Uri endpoint, string home)
    {
        _process = process;
        _home = home;
        _parentThreadMayEnd = parentThreadMayEnd;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public int ProcessId => _process.Id;

    /// <summary>ROLLUP_ANVIL, else the first node_modules copy found from the working directory or the executable upwards.</summary>
    public static string? FindBinary()
    {
        if (Environment.GetEnvironmentVariable("ROLLUP_ANVIL") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, RelativeBinary);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Stops an anvil a previous devnet left behind (its process killed with SIGKILL cannot stop its child): the
    /// PID recorded in <paramref name="pidFile"/>, only if that process is still an anvil on <paramref name="stateFile"/>.
    /// </summary>
    public static async Task StopLeftoverAsync(string pidFile, string stateFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }
        var cmdline = $"/proc/{pid}/cmdline";
        if (File.Exists(cmdline))
        {
            var arguments = (await File.ReadAllTextAsync(cmdline).ConfigureAwait(false)).Split('\0');
            if (arguments.Length > 0 && arguments[0].EndsWith("anvil", StringComparison.Ordinal) && arguments.Contains(stateFile))
            {
                _ = Kill(pid, SigTerm);
                for (var i = 0; i < 50 && File.Exists(cmdline); i++)
                {
                    await Task.Delay(100).ConfigureAwait(false); // waiting for another process to exit: nothing to await on
                }
                if (File.Exists(cmdline))
                {
                    _ = Kill(pid, SigKill);
                }
            }
        }
        File.Delete(pidFile);
    }

    public static async Task<AnvilLauncher> StartAsync(string binary, int port, ulong chainId, string stateFile, string logFile, CancellationToken cancellation)
    {
        var withDeathSignal = File.Exists(SetPriv);
        var ownSession = File.Exists(SetSid);
        var start = new ProcessStartInfo(ownSession ? SetSid : withDeathSignal ? SetPriv : binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Anvil moves old blocks' states under $HOME/.foundry/anvil/tmp and never removes them: keep them beside the
        // devnet's state file, where a reset of the devnet's directory takes them too.
        var home = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(stateFile))!, "anvil-home");
        Directory.CreateDirectory(home);
        start.Environment["HOME"] = home;
        if (ownSession && withDeathSignal)
        {
            start.ArgumentList.Add(SetPriv);
        }
        if (withDeathSignal)
        {
            // setsid and setpriv each exec the next: the PID is anvil's.
            foreach (var argument in new[] { "--pdeathsig", "TERM", "--" })
            {
                start.ArgumentList.Add(argument);
            }
        }
        if (ownSession || withDeathSignal)
        {
            start.ArgumentList.Add(binary);
        }
        foreach (var argument in new[]
        {
            "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--chain-id", chainId.ToString(CultureInfo.InvariantCulture),
            "--block-time", "1", "--state", stateFile, "--state-interval", "1",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var parentThreadMayEnd = new ManualResetEventSlim();
        var process = await StartFromOwnThreadAsync(start, parentThreadMayEnd).ConfigureAwait(false);
        var log = new AnvilLog(logFile);
        process.OutputDataReceived += (_, e) => log.Write(e.Data);
        process.ErrorDataReceived += (_, e) => log.Write(e.Data);
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var anvil = new AnvilLauncher(process, parentThreadMayEnd, new Uri($"http://127.0.0.1:{port}"), home);
        using var rpc = new L1Client(anvil.Endpoint, TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                parentThreadMayEnd.Set();
                throw new InvalidOperationException($"anvil exited with code {process.ExitCode} (is port {port} free? see {logFile})");
            }
            try
            {
                await rpc.GetChainIdAsync(cancellation).ConfigureAwait(false);
                return anvil;
            }
            catch (L1UnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellation).ConfigureAwait(false); // anvil is still starting: poll its port
            }
        }
    }

    private static Task<Process> StartFromOwnThreadAsync(ProcessStartInfo start, ManualResetEventSlim mayEnd)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}"));
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                started.SetException(e);
                return;
            }
            mayEnd.Wait();
        })
        { IsBackground = true, Name = "anvil parent" };
        thread.Start();
        return started.Task;
    }

    /// <summary>SIGTERM (anvil writes its state), then SIGKILL if it has not gone within five seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        _process.Dispose();
        _parentThreadMayEnd.Set();
        // The moved-out states are not needed once anvil is gone: its state file holds the chain.
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // held by something else: the next start writes beside it
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
