using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Node.Bridge;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using Xunit.Abstractions;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// A sequencer node process with its deposit watcher and batch poster on anvil, SIGKILLed at random moments while
/// traders submit and L1 deposits arrive (so kills fall in block commits, log syncs, batch posts and deposit credits),
/// restarted each time. Five kills here; <c>scripts/soak kills</c> runs a hundred (ROLLUP_KILL_SOAK_KILLS) and writes
/// the recovery times (ROLLUP_KILL_SOAK_REPORT).
/// </summary>
public class KillSoakTests(ITestOutputHelper output)
{
    private const ulong Usdc = 1_000_000;
    private static readonly PrivateKey[] Traders = [.. Enumerable.Range(3, 4).Select(AnvilProcess.DevKey)];

    [Fact]
    public async Task A_node_killed_at_random_moments_loses_no_ack_credits_each_deposit_once_and_posts_batches_a_validator_agrees_with()
    {
        var kills = int.Parse(Environment.GetEnvironmentVariable("ROLLUP_KILL_SOAK_KILLS") ?? "5", CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(Environment.GetEnvironmentVariable("ROLLUP_KILL_SOAK_SEED") ?? "2026", CultureInfo.InvariantCulture));
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = 5, TimelockDelayBlocks = 1 }, blockTimeSeconds: 0.5);
        using var data = new TempDirectory("rollup-kill-soak");
        var settings = new Dictionary<string, string>
        {
            ["ROLLUP__NODE__CHAINID"] = devnet.Anvil.ChainId.ToString(CultureInfo.InvariantCulture),
            ["ROLLUP__NODE__L1RPC"] = devnet.Anvil.Endpoint.ToString(),
            ["ROLLUP__NODE__SETTLEMENTCONTRACT"] = devnet.Deployment.Settlement.ToString(),
            ["ROLLUP__NODE__L1FROMBLOCK"] = devnet.Deployment.DeploymentBlock.ToString(CultureInfo.InvariantCulture),
            ["ROLLUP__NODE__SEQUENCERKEY"] = L1Devnet.SequencerKey.ToHexUnsafe(),
            ["ROLLUP__NODE__OPERATORS__0"] = L1Devnet.OperatorKey.Address.ToString(),
            ["ROLLUP__NODE__DEPOSITCONFIRMATIONS"] = "1",
            ["ROLLUP__NODE__BATCHINTERVALMS"] = "300",
            ["ROLLUP__NODE__L1POLLMS"] = "200",
            ["ROLLUP__NODE__WRITEBUFFERMIB"] = "4",
        };
        foreach (var trader in Traders)
        {
            await SettlementDeployer.MintAsync(devnet.Sender(trader), devnet.Deployment.Token, trader.Address, 1_000_000 * Usdc, default);
        }

        var nonces = new long[Traders.Length];
        var acked = new ConcurrentDictionary<ulong, Hash256>();
        var deposited = new ulong[Traders.Length];
        var recoveries = new List<double>();
        for (var round = 0; round <= kills; round++)
        {
            var starting = Stopwatch.StartNew();
            using var node = await NodeProcess.StartAsync(data.Path, settings);
            if (round > 0)
            {
                recoveries.Add(starting.Elapsed.TotalSeconds);
            }
            if (round == kills)
            {
                await CheckTheChainAsync(devnet, node, acked, deposited);
                Assert.Equal(0, await node.StopAsync());
                break;
            }
            using var stop = new CancellationTokenSource();
            using var channel = GrpcChannel.ForAddress(node.Address);
            var senders = Traders.Select((key, k) => SubmitUntilGoneAsync(new P.Submission.SubmissionClient(channel), key, devnet.Domain, () => (ulong)Interlocked.Increment(ref nonces[k]), acked, stop.Token)).ToList();
            // One L1 deposit a round, of an amount that says which round it was, so one credited twice shows.
            var depositor = round % Traders.Length;
            var amount = (100 + (ulong)round) * Usdc;
            await SettlementDeployer.DepositAsync(devnet.Sender(Traders[depositor]), devnet.Deployment, amount, Traders[depositor].Address, default);
            deposited[depositor] += amount;
            await Task.Delay(random.Next(200, 2_500)); // the kill's random moment, not a wait for anything
            await node.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        recoveries.Sort();
        var report = $"{kills} SIGKILLs under load with L1 (anvil, 0.5 s blocks, a batch every 300 ms, a deposit a round): {acked.Count:N0} acked transactions, none lost; " +
            $"restart to serving p50 {Percentile(recoveries, 0.5):F2} s, p99 {Percentile(recoveries, 0.99):F2} s, max {recoveries[^1]:F2} s";
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("ROLLUP_KILL_SOAK_REPORT") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, report + Environment.NewLine + "recovery seconds, sorted: " + string.Join(", ", recoveries.Select(r => r.ToString("F2", CultureInfo.InvariantCulture))) + Environment.NewLine);
        }
    }

    /// <summary>Every acked transaction is in the chain, every deposit credited once, and L1's batches are the chain's.</summary>
    private static async Task CheckTheChainAsync(L1Devnet devnet, NodeProcess node, ConcurrentDictionary<ulong, Hash256> acked, ulong[] deposited)
    {
        using var channel = GrpcChannel.ForAddress(node.Address);
        var query = new P.Query.QueryClient(channel);
        var deadline = Stopwatch.StartNew();
        for (var k = 0; k < Traders.Length; k++)
        {
            long balance;
            while ((balance = await FreeBalanceAsync(query, Traders[k].Address)) < (long)deposited[k])
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), $"trader {k}: {balance} credited of {deposited[k]} deposited:\n{node.Output}");
                await Task.Delay(100); // polling the node for the watcher's credits
            }
            Assert.Equal((long)deposited[k], balance);
        }
        foreach (var (sequence, hash) in acked)
        {
            var located = await ReceiptAsync(query, hash, deadline);
            Assert.Equal(sequence, located.Sequence);
        }

        // The poster commits up to the head; a validator reading only L1 agrees with every batch and ends on the node's root.
        var head = (await query.GetStateRootAsync(new P.GetStateRootRequest())).BlockNumber;
        var l1 = devnet.SequencerClient();
        while ((await l1.GetStatusAsync(default)).NextL2Block <= head)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"the poster did not commit block {head}:\n{node.Output}");
            await Task.Delay(200); // polling L1 for the poster's commitment
        }
        using var validatorData = new TempDirectory("rollup-kill-soak-validator");
        using var chain = new ExecutedChain(ExecutionEngine.Open(validatorData.Path, devnet.EngineOptions(verifySignatures: true)));
        var validator = new Validator(devnet.SequencerClient(), new ChainExecutor(chain), new ValidatorOptions(), NullLogger.Instance);
        var batches = 0;
        while (await validator.ValidateNextAsync(default) is { } report)
        {
            Assert.True(report.Agrees, $"batch {report.BatchIndex}: {string.Join("; ", report.Mismatches)}");
            batches++;
        }
        Assert.True(batches > 0);
        var validatorHead = chain.Read(engine => engine.Head);
        var nodeBlock = await query.GetBlockAsync(new P.GetBlockRequest { Number = validatorHead.BlockNumber });
        Assert.Equal(validatorHead.StateRoot.ToString(), "0x" + Convert.ToHexStringLower(nodeBlock.StateRoot.Span));
    }

    private static async Task SubmitUntilGoneAsync(P.Submission.SubmissionClient submission, PrivateKey key, Rollup.Primitives.Eip712.Eip712Domain domain, Func<ulong> nextNonce, ConcurrentDictionary<ulong, Hash256> acked, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // Logged, ordered, executed and posted like any transaction (rejected by the engine: no market 9).
            var tx = TransactionSigning.Sign(new Transaction { Kind = TxKind.CancelAllOrders, Account = key.Address, Market = 9, Nonce = nextNonce() }, key, domain);
            try
            {
                var response = await submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(tx) }, cancellationToken: stop);
                acked[response.Ack.Sequence] = new Hash256(response.Ack.TxHash.Span);
            }
            catch (RpcException error) when (error.StatusCode is StatusCode.AlreadyExists or StatusCode.FailedPrecondition)
            {
                // A nonce the node logged before a kill without the ack reaching us: the next one goes on.
            }
            catch (RpcException)
            {
                return; // killed
            }
        }
    }

    private static async Task<long> FreeBalanceAsync(P.Query.QueryClient query, Address account)
    {
        try
        {
            return (await query.GetAccountAsync(new P.GetAccountRequest { Account = ByteString.CopyFrom(account.Bytes) })).FreeBalance;
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            return 0;
        }
    }

    private static async Task<P.LocatedReceipt> ReceiptAsync(P.Query.QueryClient query, Hash256 hash, Stopwatch deadline)
    {
        while (true)
        {
            try
            {
                return await query.GetReceiptByHashAsync(new P.GetReceiptByHashRequest { TxHash = ByteString.CopyFrom(hash.Bytes) });
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.NotFound && deadline.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(50); // acked, not yet executed after the restart
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
