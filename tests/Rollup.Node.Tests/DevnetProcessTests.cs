using System.Diagnostics;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Rollup.Node.Devnet;
using Rollup.Node.Hosting;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests;

/// <summary>`rollup devnet` as a user runs it: its own process, everything up, Ctrl-C, nothing left running.</summary>
public partial class DevnetProcessTests
{
    [Fact]
    public async Task The_devnet_comes_up_whole_its_validator_agrees_and_Ctrl_C_stops_everything()
    {
        using var directory = new TempDirectory("rollup-devnet");
        var (l1, grpc, validatorGrpc) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        // The validator listens on the next HTTP and metrics ports: pairs, so no other test's port is one of them.
        var (metrics, httpPort) = (NodeProcess.FreePortPair(), NodeProcess.FreePortPair());
        using var process = StartDevnet(directory, l1, grpc, validatorGrpc, metrics, httpPort, out var Output);
        try
        {
            // Up when the validator has agreed with two batches and the sequencer credited the three traders' deposits.
            using var http = new HttpClient();
            var deadline = Stopwatch.StartNew();
            while (!(await NodeMetrics.ReadAsync(http, metrics + 1, "rollup_validator_batches_agreed_total") >= 2 && await NodeMetrics.ReadAsync(http, metrics, "rollup_l1_deposits_credited_total") >= 3
                && Output().Contains("devnet ready in", StringComparison.Ordinal)))
            {
                Assert.False(process.HasExited, Output());
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the devnet did not come up in 2 minutes:\n" + Output());
                await Task.Delay(250); // polling another process's metrics endpoint
            }

            // The banner names the key acks are signed with and the challenge window; one line says when all is up.
            Assert.Contains($"acks signed by {Rollup.Node.Hosting.DevKeys.SequencerKey.Address}", Output(), StringComparison.Ordinal);
            Assert.Contains("(the challenge window)", Output(), StringComparison.Ordinal);
            Assert.Contains("3 L1 deposits credited", Output(), StringComparison.Ordinal);

            // The ack slashing contract is deployed beside the settlement and holds the sequencer's bond.
            var bondLine = System.Text.RegularExpressions.Regex.Match(Output(), "ack bond     (0x[0-9a-fA-F]{40})");
            Assert.True(bondLine.Success, Output());
            using (var balance = System.Text.Json.JsonDocument.Parse(await (await http.PostAsync(new Uri($"http://127.0.0.1:{l1}"), new StringContent(
                $$"""{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["{{bondLine.Groups[1].Value}}","latest"]}""", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()))
            {
                Assert.Equal(System.Numerics.BigInteger.Pow(10, 19), System.Numerics.BigInteger.Parse("0" + balance.RootElement.GetProperty("result").GetString()![2..], System.Globalization.NumberStyles.HexNumber));
            }

            // The validator serves the same state, and refuses transactions with a reason.
            var trader = PrivateKey.Parse(DevnetRunner.TraderKeys[0]);
            using var validator = GrpcChannel.ForAddress($"http://127.0.0.1:{validatorGrpc}");
            var account = await new P.Query.QueryClient(validator).GetAccountAsync(new P.GetAccountRequest { Account = ByteString.CopyFrom(trader.Address.Bytes) });
            Assert.Equal(100_000_000_000, account.FreeBalance);
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await new P.Submission.SubmissionClient(validator).SubmitAsync(new P.SubmitRequest()));
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
            Assert.Contains("validator", refused.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(0, await NodeMetrics.ReadAsync(http, metrics + 1, "rollup_validator_fault"));
            Assert.Equal(0, await NodeMetrics.ReadAsync(http, metrics + 1, "rollup_validator_undecided_batches_total"));
            // Both nodes claim the markets from their provable engines, which have replayed up to a batch's start.
            Assert.True(await NodeMetrics.ReadAsync(http, metrics, "rollup_provable_head_block") >= 1, "the sequencer's provable engine replayed nothing");
            Assert.True(await NodeMetrics.ReadAsync(http, metrics + 1, "rollup_provable_head_block") >= 1, "the validator's provable engine replayed nothing");

            // The banner's HTTP/JSON address answers plain HTTP/1.1 (the validator's, the next port, too).
            Assert.Contains($"HTTP/JSON http://127.0.0.1:{httpPort}/v1/markets", Output(), StringComparison.Ordinal);
            Assert.Contains($"explorer     http://127.0.0.1:{httpPort}/explorer/ (the sequencer's)   http://127.0.0.1:{httpPort + 1}/explorer/ (the validator's)", Output(), StringComparison.Ordinal);
            using (var markets = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/v1/markets"))))
            {
                Assert.Equal(["BTC-PERP", "ETH-PERP", "SOL-PERP"], markets.RootElement.GetProperty("markets").EnumerateArray().Select(m => m.GetProperty("params").GetProperty("symbol").GetString()));
            }
            using (var validatorRoot = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort + 1}/v1/state-root"))))
            {
                Assert.True(validatorRoot.RootElement.TryGetProperty("stateRoot", out _));
            }

            // A trader with off-the-shelf tools (examples/trade.mjs: grpc-js and ethers) trades on it.
            var trade = ExternalProcess.Run("node", [RepositoryPaths.Combine("examples", "trade.mjs"), "--target", $"127.0.0.1:{grpc}", "--data-dir", directory.Path, "--side", "buy"]);
            Assert.True(trade.ExitCode == 0, trade.Stderr + trade.Stdout);
            using (var result = System.Text.Json.JsonDocument.Parse(trade.Stdout))
            {
                var order = result.RootElement.GetProperty("order");
                var bids = result.RootElement.GetProperty("book").GetProperty("bids");
                Assert.Contains(bids.EnumerateArray(), level => level.GetProperty("price").GetString() == order.GetProperty("price").GetString());
                // ethers checked both acks' proofs and recovered the signer of their roots: the devnet's sequencer.
                Assert.Equal(DevKeys.SequencerKey.Address.ToString(), order.GetProperty("ack_signed_by").GetString(), ignoreCase: true);
                Assert.Equal(DevKeys.SequencerKey.Address.ToString(), result.RootElement.GetProperty("transfer_margin").GetProperty("ack_signed_by").GetString(), ignoreCase: true);
            }

            await A_lying_challenger_loses_to_the_devnets_sequencer_and_both_nodes_show_the_game(http, l1, metrics, httpPort, directory.Path, Output);

            // The disk shows the data, not RocksDB's write-ahead log reservations: 1.1 x each memtable, 220 MB and 75 MB
            // at the node's default 64 MiB, about 14 MB and 5 MB at the devnet's 4 MiB.
            Assert.InRange(AllocatedBytes(Path.Combine(directory.Path, "sequencer")), 1, 32L << 20);
            Assert.InRange(AllocatedBytes(Path.Combine(directory.Path, "validator")), 1, 16L << 20);

            // anvil's log has the transactions and their blocks, not every RPC method called nor every empty block.
            var anvilLog = File.ReadAllLines(Path.Combine(directory.Path, "l1", "anvil.log"));
            var transactions = anvilLog.Count(line => line.TrimStart().StartsWith("Transaction: 0x", StringComparison.Ordinal));
            Assert.True(transactions >= 3, string.Join('\n', anvilLog)); // at least the three deposits
            Assert.DoesNotContain(anvilLog, line => line is "eth_blockNumber" or "eth_getLogs" or "eth_call");
            Assert.InRange(anvilLog.Count(line => line.TrimStart().StartsWith("Block Number:", StringComparison.Ordinal)), 1, transactions);

            var anvilPid = int.Parse(AnvilPid().Match(Output()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            ExternalSignals.Interrupt(process.Id);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(exit.Token);
            Assert.True(process.ExitCode == 0, Output());
            Assert.False(ExternalSignals.IsAlive(anvilPid), "anvil was left running");
            Assert.False(File.Exists(Path.Combine(directory.Path, "l1", "anvil.pid")), "a clean stop leaves no PID file for the next start to act on");
            Assert.Contains("devnet stopped", Output(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_devnet_killed_with_SIGKILL_takes_its_anvil_with_it()
    {
        using var directory = new TempDirectory("rollup-devnet-kill");
        using var process = StartDevnet(directory, NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePortPair(), NodeProcess.FreePortPair(), out var Output);
        var anvilPid = 0;
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!AnvilPid().IsMatch(Output()))
            {
                Assert.False(process.HasExited, Output());
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "anvil did not start in 2 minutes:\n" + Output());
                await Task.Delay(100); // polling another process's output
            }
            anvilPid = int.Parse(AnvilPid().Match(Output()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(ExternalSignals.IsAlive(anvilPid));

            process.Kill(entireProcessTree: false); // SIGKILL to the devnet alone: it runs no code to stop anvil
            await process.WaitForExitAsync();
            deadline.Restart();
            while (IsRunning(anvilPid) && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(100); // waiting for another process to exit: nothing to await on
            }
            Assert.False(IsRunning(anvilPid), "anvil outlived the devnet that started it");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            if (anvilPid != 0 && IsRunning(anvilPid))
            {
                ExternalSignals.Interrupt(anvilPid); // the anvil this test started, by its PID
            }
        }
    }

    /// <summary>Alive and not a zombie (an orphan's exit is reaped by whoever adopted it, maybe late).</summary>
    /// <summary>Disk blocks a directory takes, reservations included (what <c>du</c> shows), unlike the files' lengths.</summary>
    private static long AllocatedBytes(string directory)
    {
        var du = ExternalProcess.Run("du", ["-s", "-B1", directory]);
        Assert.True(du.ExitCode == 0, du.Stderr);
        return long.Parse(du.Stdout.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// A challenger with a made-up trace disputes a market claim of the latest batch: the devnet's sequencer defends it
    /// (bisecting, then proving the step the challenger will not) and wins; the game is in both nodes' logs and metrics.
    /// </summary>
    private static async Task A_lying_challenger_loses_to_the_devnets_sequencer_and_both_nodes_show_the_game(HttpClient http, int l1, int metrics, int httpPort, string dataDir, Func<string> output)
    {
        using var state = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "devnet.json")));
        var gameAddress = Rollup.Primitives.Address.Parse(state.RootElement.GetProperty("DisputeGame").GetString()!);
        Assert.Contains($"disputes     game {gameAddress}", output(), StringComparison.OrdinalIgnoreCase);
        using var rpc = new Rollup.Bridge.L1.L1Client(new Uri($"http://127.0.0.1:{l1}"));
        var settlement = new Rollup.Bridge.Settlement.SettlementClient(rpc, Rollup.Primitives.Address.Parse(state.RootElement.GetProperty("Settlement").GetString()!))
        {
            FromBlock = state.RootElement.GetProperty("DeploymentBlock").GetUInt64(),
        };
        var batchIndex = await settlement.GetCommittedBatchCountAsync(default) - 1;
        var batch = (await settlement.GetCommittedBatchAsync(batchIndex, default))!;
        var (domain, claim) = batch.Claims.Where(c => c.Domain.Kind == Rollup.Execution.Steps.DomainId.MarketKind).MaxBy(c => c.Claim.Steps);
        Assert.True(claim.Steps >= 2, $"batch {batchIndex}'s busiest market claim has {claim.Steps} steps");
        var made_up = new List<Rollup.Primitives.Hash256> { claim.Start };
        for (var i = 1UL; i <= claim.Steps; i++)
        {
            made_up.Add(Rollup.Primitives.Hashing.Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes($"made up {i}")));
        }
        var trace = new Rollup.Bridge.Disputes.DomainTrace(domain, made_up, (_, _) => new Rollup.Bridge.Disputes.StepProof(default, default, []));
        var key = PrivateKey.Parse(DevKeys.Published[7]);
        var game = new Rollup.Bridge.Disputes.DisputeGameClient(rpc, gameAddress, new Rollup.Bridge.L1.TransactionSender(rpc, key, DevnetRunner.ChainId));
        var liar = new Rollup.Bridge.Disputes.Challenger(game, Rollup.Bridge.Disputes.DisputedClaim.Of(batchIndex, batch.Claims, domain), trace, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var deadline = Stopwatch.StartNew();
        var progress = await liar.PlayAsync();
        while (!progress.Ended)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"the game is still open at {progress.Game.Lo}..{progress.Game.Hi} after 2 minutes:\n" + output());
            await Task.Delay(250); // the sequencer's process moves on its own L1 poll
            progress = await liar.PlayAsync();
        }
        Assert.Equal(Rollup.Bridge.Disputes.DisputeGameStatus.DefenderWon, progress.Status);
        const string defended = "rollup_dispute_games{status=\"defender_won\"}";
        while (await NodeMetrics.ReadAsync(http, metrics, defended) != 1 || await NodeMetrics.ReadAsync(http, metrics + 1, defended) != 1)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), "the nodes' metrics do not show the game won by the defender:\n" + output());
            await Task.Delay(250); // polling another process's metrics endpoint
        }
        Assert.True(await NodeMetrics.ReadAsync(http, metrics, "rollup_dispute_defender_moves_total") >= 2, output());
        Assert.Contains($"dispute: game {progress.GameId} started against batch {batchIndex}'s {domain} claim", output(), StringComparison.Ordinal);
        Assert.Contains($"defender: game {progress.GameId} step 0 proven", output(), StringComparison.Ordinal);
        // The game over the Query API's HTTP twin, on both nodes; none open.
        foreach (var port in new[] { httpPort, httpPort + 1 })
        {
            var games = Google.Protobuf.JsonParser.Default.Parse<P.DisputeGames>(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/v1/disputes")));
            Assert.True(games.Watching);
            var listed = Assert.Single(games.Games);
            Assert.Equal((progress.GameId.ToString(), batchIndex, (uint)domain.Market, P.DisputeGameStatus.DefenderWon), ("0x" + Convert.ToHexStringLower(listed.GameId.Span), listed.BatchIndex, listed.Market, listed.Status));
            Assert.Equal(key.Address.Bytes.ToArray(), listed.Challenger.ToByteArray());
            var open = Google.Protobuf.JsonParser.Default.Parse<P.DisputeGames>(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/v1/disputes?open_only=true")));
            Assert.Empty(open.Games);
        }
    }

    private static Process StartDevnet(TempDirectory directory, int l1, int grpc, int validatorGrpc, int metrics, int httpPort, out Func<string> output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            NodeProcess.RollupDll(), "devnet", "--data-dir", directory.Path, "--l1-port", $"{l1}", "--grpc-port", $"{grpc}",
            "--validator-grpc-port", $"{validatorGrpc}", "--metrics-port", $"{metrics}", "--http-port", $"{httpPort}",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var text = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = () => { lock (text) { return text.ToString(); } };
        return process;
    }

    [GeneratedRegex(@"anvil \(pid (\d+)\)")]
    private static partial Regex AnvilPid();
}
