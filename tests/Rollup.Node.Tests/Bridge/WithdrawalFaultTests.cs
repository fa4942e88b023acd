using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Transactions;
using Rollup.Node.Bridge;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// <c>rollup withdraw</c> as its own process, talking to anvil through <see cref="L1FaultProxy"/>: through an outage and
/// then a provider failing a third of its requests in every way it has, the claim is paid once and the tool says how it
/// got there; when the faults outlast its retry budget it gives up with exit code 7, pays nothing, and a later run claims.
/// </summary>
public class WithdrawalFaultTests(ITestOutputHelper output)
{
    private const ulong Usdc = 1_000_000;
    private const ulong Withdrawn = 100 * Usdc;
    private static readonly L1Fault[] Outage = [L1Fault.Drop, L1Fault.ServerError, L1Fault.Truncated];

    [Fact]
    public async Task Through_an_outage_and_a_faulty_provider_the_claim_is_paid_once_and_the_tool_reports_its_retries()
    {
        await using var chain = await FinalizedWithdrawal.StartAsync();
        await using var proxy = await L1FaultProxy.StartAsync(chain.Devnet.Anvil.Endpoint, seed: 15);
        proxy.Delay = TimeSpan.FromMilliseconds(300);
        var before = await chain.AliceBalanceAsync();

        proxy.Inject(1.0, Outage);
        using var tool = WithdrawTool.Start(chain, proxy, retrySeconds: 60);
        await tool.UntilAsync(output => CountOf(output, "L1 fault during") >= 3, "three retries through the outage");
        proxy.Inject(0.33, Enum.GetValues<L1Fault>());
        var exit = await tool.ExitAsync();
        output.WriteLine($"{tool.Stdout}\n{tool.Stderr}\nproxy: {string.Join(", ", Enum.GetValues<L1Fault>().Select(f => $"{f} {proxy.Count(f)}"))}, forwarded {proxy.Forwarded}");

        Assert.True(exit == 0, $"exit {exit}\n{tool.Stdout}\n{tool.Stderr}");
        Assert.Contains("L1 answers again", tool.Stdout, StringComparison.Ordinal);
        Assert.Contains($"claimed {Withdrawn} for {L1Devnet.Alice.Address}", tool.Stdout, StringComparison.Ordinal);
        Assert.All(Outage, fault => Assert.True(proxy.Count(fault) > 0, $"no {fault} was injected"));
        Assert.Equal(Withdrawn, (ulong)(await chain.AliceBalanceAsync() - before));
        Assert.True(await chain.IsClaimedAsync());

        // Run again with the provider healed: nothing to do, and nothing paid.
        proxy.Heal();
        using var again = WithdrawTool.Start(chain, proxy, retrySeconds: 60);
        Assert.Equal(5, await again.ExitAsync());
        Assert.Contains("already claimed", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(Withdrawn, (ulong)(await chain.AliceBalanceAsync() - before));
    }

    /// <summary>
    /// The claim transaction reaches anvil and is mined, but its answer comes back cut in half: the tool tries again, finds
    /// the withdrawal claimed on L1 and says so, and sends no second transaction (Bob's nonce counts one).
    /// </summary>
    [Fact]
    public async Task A_claim_whose_answer_is_lost_is_found_on_L1_and_not_sent_again()
    {
        await using var chain = await FinalizedWithdrawal.StartAsync();
        await using var proxy = await L1FaultProxy.StartAsync(chain.Devnet.Anvil.Endpoint, seed: 17);
        var before = await chain.AliceBalanceAsync();
        var bobNonce = await chain.Devnet.Rpc.GetTransactionCountAsync(L1Devnet.Bob.Address, Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest());

        proxy.InjectInto("eth_sendRawTransaction", 1.0, L1Fault.Truncated);
        using var tool = WithdrawTool.Start(chain, proxy, retrySeconds: 30);
        var exit = await tool.ExitAsync();
        output.WriteLine($"{tool.Stdout}\n{tool.Stderr}");

        Assert.True(exit == 0, $"exit {exit}\n{tool.Stdout}\n{tool.Stderr}");
        Assert.Equal(1, proxy.Count(L1Fault.Truncated));
        Assert.Contains("answer was lost", tool.Stdout, StringComparison.Ordinal);
        Assert.Equal(Withdrawn, (ulong)(await chain.AliceBalanceAsync() - before));
        Assert.Equal(bobNonce + 1, await chain.Devnet.Rpc.GetTransactionCountAsync(L1Devnet.Bob.Address, Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest()));
    }

    [Fact]
    public async Task Faults_that_outlast_the_retry_budget_end_with_exit_7_and_nothing_paid_and_a_later_run_claims()
    {
        await using var chain = await FinalizedWithdrawal.StartAsync();
        await using var proxy = await L1FaultProxy.StartAsync(chain.Devnet.Anvil.Endpoint, seed: 16);
        var before = await chain.AliceBalanceAsync();

        proxy.Inject(1.0, Outage);
        var started = Stopwatch.GetTimestamp();
        using var tool = WithdrawTool.Start(chain, proxy, retrySeconds: 3);
        var exit = await tool.ExitAsync();
        var took = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"{tool.Stdout}\n{tool.Stderr}\ngave up after {took.TotalSeconds:F1} s");

        Assert.True(exit == 7, $"exit {exit}\n{tool.Stdout}\n{tool.Stderr}");
        Assert.Contains("gave up", tool.Stderr, StringComparison.Ordinal);
        Assert.Contains("retry budget 3 s", tool.Stderr, StringComparison.Ordinal);
        Assert.True(CountOf(tool.Stdout, "L1 fault during") >= 2, tool.Stdout);
        Assert.True(took < TimeSpan.FromSeconds(20), $"gave up after {took.TotalSeconds:F1} s on a 3 s budget");
        Assert.False(await chain.IsClaimedAsync());
        Assert.Equal(before, await chain.AliceBalanceAsync());

        proxy.Heal();
        using var later = WithdrawTool.Start(chain, proxy, retrySeconds: 3);
        Assert.Equal(0, await later.ExitAsync());
        Assert.Equal(Withdrawn, (ulong)(await chain.AliceBalanceAsync() - before));
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    /// <summary>anvil and a sequencer where Alice deposited 500 USDC and withdrew 100, the batch holding it final on L1, and the node's Query API on a port.</summary>
    private sealed class FinalizedWithdrawal : IAsyncDisposable
    {
        private FinalizedWithdrawal(L1Devnet devnet, ApiTestHost api, Execution.Blocks.Withdrawal withdrawal, Primitives.Hash256 txHash)
        {
            Devnet = devnet;
            Api = api;
            Withdrawal = withdrawal;
            TxHash = txHash;
        }

        public L1Devnet Devnet { get; }

        public ApiTestHost Api { get; }

        public Execution.Blocks.Withdrawal Withdrawal { get; }

        public Primitives.Hash256 TxHash { get; }

        public static async Task<FinalizedWithdrawal> StartAsync()
        {
            var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = 5, TimelockDelayBlocks = 1 });
            var sequencer = devnet.StartSequencer();
            var blocks = sequencer.Subscribe(capacity: 100_000);
            await devnet.FundAndDepositAsync(L1Devnet.Alice, minted: 1_000 * Usdc, deposited: 500 * Usdc);
            var watcher = new DepositWatcher(devnet.SequencerClient(), new SequencerDepositSink(sequencer), new DepositWatcherOptions { Confirmations = 1 }, NullLogger.Instance);
            await devnet.Dev.MineAsync(1);
            Assert.Equal(1, await watcher.PollAsync(default));
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (sequencer.Read(engine => engine.Head.NextDepositIndex) < 1)
            {
                await blocks.ReadAsync(deadline.Token);
            }
            var ack = await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = Withdrawn }, L1Devnet.Alice);
            Execution.Blocks.BlockResult withdrawn;
            do
            {
                withdrawn = await blocks.ReadAsync(deadline.Token);
            }
            while (withdrawn.Withdrawals.Count == 0);

            var l1 = devnet.SequencerClient();
            var poster = new BatchPoster(l1, new ChainBlockSource(sequencer), new BatchPosterOptions(), NullLogger.Instance);
            ulong lastPosted = 0;
            while (lastPosted < withdrawn.Number)
            {
                lastPosted = (await poster.PostNextAsync(deadline.Token))!.LastBlock;
            }
            await devnet.Dev.MineAsync(5);
            var batch = (await l1.FindBatchAsync(withdrawn.Number, default))!.Value;
            Assert.True(await l1.IsFinalizedAsync(batch.BatchIndex, default));
            var api = await ApiTestHost.StartAsync(services => services.AddSingleton(new QueryService(sequencer)), endpoints => endpoints.MapGrpcService<QueryService>());
            return new FinalizedWithdrawal(devnet, api, Assert.Single(withdrawn.Withdrawals), ack.TxHash);
        }

        public async Task<System.Numerics.BigInteger> AliceBalanceAsync() =>
            await SettlementDeployer.BalanceOfAsync(Devnet.Rpc, Devnet.Deployment.Token, L1Devnet.Alice.Address, default);

        /// <summary>Read from anvil directly, not through the proxy.</summary>
        public Task<bool> IsClaimedAsync() => Devnet.ClientOf(L1Devnet.Bob).IsClaimedAsync(Withdrawal.BlockNumber, (uint)Withdrawal.TxIndex, default);

        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            await Devnet.DisposeAsync();
        }
    }

    /// <summary><c>rollup withdraw</c> running, Bob paying the gas, its output gathered as it comes.</summary>
    private sealed class WithdrawTool : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _stdout = new();
        private readonly ConcurrentQueue<string> _stderr = new();

        private WithdrawTool(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, line) => { if (line.Data is not null) { _stdout.Enqueue(line.Data); } };
            _process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { _stderr.Enqueue(line.Data); } };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Stdout => string.Join('\n', _stdout);

        public string Stderr => string.Join('\n', _stderr);

        public static WithdrawTool Start(FinalizedWithdrawal chain, L1FaultProxy proxy, double retrySeconds)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                NodeProcess.RollupDll(), "withdraw", "--l1-rpc", proxy.Endpoint.ToString(), "--contract", chain.Devnet.Deployment.Settlement.ToString(),
                "--node", $"127.0.0.1:{chain.Api.Port}", "--key", L1Devnet.Bob.ToHexUnsafe(), "--tx-hash", chain.TxHash.ToString(),
                "--l1-retry-seconds", retrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            {
                start.ArgumentList.Add(argument);
            }
            return new WithdrawTool(Process.Start(start) ?? throw new InvalidOperationException("could not start rollup withdraw"));
        }

        public async Task UntilAsync(Func<string, bool> condition, string what)
        {
            var started = Stopwatch.GetTimestamp();
            while (!condition(Stdout))
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"rollup withdraw exited ({_process.ExitCode}) before {what}\n{Stdout}\n{Stderr}");
                }
                Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60), $"not within 60 s: {what}\n{Stdout}");
                await Task.Delay(50);
            }
        }

        public async Task<int> ExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await _process.WaitForExitAsync(timeout.Token);
            _process.WaitForExit(); // the output handlers have run
            return _process.ExitCode;
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
    }
}
