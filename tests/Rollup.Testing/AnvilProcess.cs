using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rollup.Primitives.Signatures;

namespace Rollup.Testing;

/// <summary>
/// Foundry's anvil (the pinned npm binary under node_modules/@foundry-rs) as a local L1: started on a port the OS
/// picks, ready once it answers eth_chainId, stopped by its PID on dispose (and at test-host exit if a test
/// forgot). Its output is kept for failure messages.
/// </summary>
public sealed partial class AnvilProcess : IDisposable
{
    /// <summary>The mnemonic anvil derives its dev accounts from. Public knowledge: never hold value with these keys.</summary>
    public const string Mnemonic = "test test test test test test test test test test test junk";

    public const ulong DefaultChainId = 31337;

    /// <summary>The private keys of anvil's ten dev accounts (m/44'/60'/0'/0/i of <see cref="Mnemonic"/>), each funded with 10000 ETH.</summary>
    public static IReadOnlyList<string> DevKeys { get; } =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
        "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
        "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
        "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
        "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
        "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
    ];

    private static readonly List<Process> Running = [];

    private readonly Process _process;
    private readonly DirectoryInfo _home;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static AnvilProcess()
    {
        // A test host that ends without disposing (a crashed fixture) must not leave anvil behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Running)
            {
                foreach (var process in Running)
                {
                    KillQuietly(process);
                }
            }
        };
    }

    private AnvilProcess(Process process, DirectoryInfo home, ulong chainId)
    {
        _process = process;
        _home = home;
        ChainId = chainId;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public ulong ChainId { get; }

    /// <summary>The HOME anvil runs with, its own: where it moves old blocks' states (.foundry/anvil/tmp); removed on dispose.</summary>
    public string Home => _home.FullName;

    public int ProcessId => _process.Id;

    public int Port { get; private set; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

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

    public static string BinaryPath => RepositoryPaths.Combine("node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

    public static PrivateKey DevKey(int index) => PrivateKey.Parse(DevKeys[index]);

    /// <summary>
    /// Starts anvil and waits until it serves. <paramref name="blockTimeSeconds"/> turns on interval mining
    /// (otherwise a block per transaction); <paramref name="stateFile"/> loads the chain from it if it exists and
    /// writes it back at exit (anvil's --state). <paramref name="port"/> 0 lets the system pick a free one; a
    /// fixed one serves a restart at the same address.
    /// </summary>
    public static async Task<AnvilProcess> StartAsync(
        ulong chainId = DefaultChainId,
        double? blockTimeSeconds = null,
        string? stateFile = null,
        IEnumerable<string>? extraArguments = null,
        TimeSpan? startTimeout = null,
        int port = 0)
    {
        if (!File.Exists(BinaryPath))
        {
            throw new FileNotFoundException($"anvil is not installed: run scripts/setup (expected {BinaryPath})");
        }
        var start = new ProcessStartInfo(BinaryPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--chain-id", chainId.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        if (blockTimeSeconds is { } blockTime)
        {
            start.ArgumentList.Add("--block-time");
            start.ArgumentList.Add(blockTime.ToString(CultureInfo.InvariantCulture));
        }
        if (stateFile is not null)
        {
            start.ArgumentList.Add("--state");
            start.ArgumentList.Add(stateFile);
        }
        foreach (var argument in extraArguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }
        // Anvil moves old blocks' states to ~/.foundry/anvil/tmp and never removes them (a test mining a few thousand
        // blocks leaves gigabytes): each anvil gets a home of its own, removed when it is disposed.
        var home = Directory.CreateTempSubdirectory("rollup-anvil-home-");
        start.Environment["HOME"] = home.FullName;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start anvil");
        }
        catch
        {
            home.Delete(recursive: true);
            throw;
        }
        lock (Running)
        {
            Running.Add(process);
        }
        var anvil = new AnvilProcess(process, home, chainId);
        try
        {
            await anvil.WaitUntilServingAsync(startTimeout ?? TimeSpan.FromSeconds(30));
            return anvil;
        }
        catch
        {
            anvil.Dispose();
            throw;
        }
    }

    /// <summary>Reads the port from "Listening on 127.0.0.1:PORT", then polls eth_chainId until it answers with our chain id.</summary>
    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var exited = _process.WaitForExitAsync(deadline.Token);
        var listening = await Task.WhenAny(_port.Task, exited);
        if (listening != _port.Task)
        {
            throw Failure(_process.HasExited ? $"anvil exited with {_process.ExitCode} before listening" : $"anvil did not listen within {timeout}");
        }
        Port = await _port.Task;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(Endpoint, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() }, deadline.Token);
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token));
                var chainId = answer.RootElement.GetProperty("result").GetString();
                if (chainId == "0x" + ChainId.ToString("x", CultureInfo.InvariantCulture))
                {
                    return;
                }
                throw Failure($"anvil answers chain id {chainId}, expected {ChainId}");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(20, deadline.Token);
            }
        }
        throw Failure($"anvil did not answer eth_chainId within {timeout}");
    }

    private InvalidOperationException Failure(string problem) => new($"{problem}:\n{Output}");

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _port.TrySetResult(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^Listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>SIGTERM by PID and wait: anvil writes its --state file on the way out (a kill would not).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            ExternalSignals.Terminate(_process.Id);
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(deadline.Token);
        }
        _process.WaitForExit();
    }

    /// <summary>Kills anvil by its PID (if still running) and waits for it and its output to end.</summary>
    public void Dispose()
    {
        lock (Running)
        {
            Running.Remove(_process);
        }
        KillQuietly(_process);
        _process.Dispose();
        try
        {
            _home.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a file still held: the temp directory's owner cleans it
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
