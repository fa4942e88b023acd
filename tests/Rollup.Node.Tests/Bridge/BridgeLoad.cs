using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Execution.Transactions;
using Rollup.Node.Bridge;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// Load on a sequencer node process with its L1 bridge, and what must hold after whatever was done to it (kills, L1
/// faults): four traders submitting, L1 deposits of amounts that say which round made them, and the checks that every
/// ack is in the chain, every deposit credited exactly once, and L1's batches are the node's chain.
/// </summary>
internal sealed class BridgeLoad(L1Devnet devnet)
{
    public const ulong Usdc = 1_000_000;
    public static readonly PrivateKey[] Traders = [.. Enumerable.Range(3, 4).Select(AnvilProcess.DevKey)];
    private readonly long[] _nonces = new long[Traders.Length];
    private readonly ulong[] _deposited = new ulong[Traders.Length];

    public ConcurrentDictionary<ulong, Hash256> Acked { get; } = new();

    /// <summary>A sequencer on <paramref name="l1"/> (anvil, or a proxy in front of it) with fast batches and polls.</summary>
    public static Dictionary<string, string> NodeSettings(L1Devnet devnet, Uri l1) => new()
    {
        ["ROLLUP__NODE__CHAINID"] = devnet.Anvil.ChainId.ToString(CultureInfo.InvariantCulture),
        ["ROLLUP__NODE__L1RPC"] = l1.ToString(),
        ["ROLLUP__NODE__SETTLEMENTCONTRACT"] = devnet.Deployment.Settlement.ToString(),
        ["ROLLUP__NODE__L1FROMBLOCK"] = devnet.Deployment.DeploymentBlock.ToString(CultureInfo.InvariantCulture),
        ["ROLLUP__NODE__SEQUENCERKEY"] = L1Devnet.SequencerKey.ToHexUnsafe(),
        ["ROLLUP__NODE__OPERATORS__0"] = L1Devnet.OperatorKey.Address.ToString(),
        ["ROLLUP__NODE__DEPOSITCONFIRMATIONS"] = "1",
        ["ROLLUP__NODE__BATCHINTERVALMS"] = "300",
        ["ROLLUP__NODE__L1POLLMS"] = "200",
        ["ROLLUP__NODE__WRITEBUFFERMIB"] = "4",
    };

    public static async Task MintAsync(L1Devnet devnet)
    {
        foreach (var trader in Traders)
        {
            await SettlementDeployer.MintAsync(devnet.Sender(trader), devnet.Deployment.Token, trader.Address, 1_000_000 * Usdc, default);
        }
    }

    /// <summary>One sender per trader until the node is gone or <paramref name="stop"/>.</summary>
    public List<Task> StartSenders(GrpcChannel channel, CancellationToken stop) =>
        [.. Traders.Select((key, k) => SubmitUntilGoneAsync(new P.Submission.SubmissionClient(channel), key, k, stop))];

    /// <summary>One L1 deposit, by trader <c>round % 4</c>, of (100 + round) USDC: one credited twice shows in a balance.</summary>
    public async Task DepositAsync(int round)
    {
        var depositor = round % Traders.Length;
        var amount = (100 + (ulong)round) * Usdc;
        await SettlementDeployer.DepositAsync(devnet.Sender(Traders[depositor]), devnet.Deployment, amount, Traders[depositor].Address, default);
        _deposited[depositor] += amount;
    }

    /// <summary>
    /// Every acked transaction has its receipt at its sequence, each trader's balance is exactly its deposits, the poster
    /// commits up to the head, and a validator reading only L1 (through <paramref name="l1"/>) agrees with every batch and
    /// ends on the node's root.
    /// </summary>
    public async Task CheckTheChainAsync(NodeProcess node, Uri l1)
    {
        using var channel = GrpcChannel.ForAddress(node.Address);
        var query = new P.Query.QueryClient(channel);
        var deadline = Stopwatch.StartNew();
        for (var k = 0; k < Traders.Length; k++)
        {
            long balance;
            while ((balance = await FreeBalanceAsync(query, Traders[k].Address)) < (long)_deposited[k])
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), $"trader {k}: {balance} credited of {_deposited[k]} deposited:\n{node.Output}");
                await Task.Delay(100); // polling the node for the watcher's credits
            }
            Assert.Equal((long)_deposited[k], balance);
        }
        foreach (var (sequence, hash) in Acked)
        {
            var located = await ReceiptAsync(query, hash, deadline);
            Assert.Equal(sequence, located.Sequence);
        }

        var head = (await query.GetStateRootAsync(new P.GetStateRootRequest())).BlockNumber;
        using var rpc = new L1Client(l1);
        var settlement = new SettlementClient(rpc, devnet.Deployment.Settlement) { FromBlock = devnet.Deployment.DeploymentBlock };
        while ((await settlement.GetStatusAsync(default)).NextL2Block <= head)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"the poster did not commit block {head}:\n{node.Output}");
            await Task.Delay(200); // polling L1 for the poster's commitment
        }
        using var validatorData = new TempDirectory("rollup-bridge-load-validator");
        using var chain = new ExecutedChain(ExecutionEngine.Open(validatorData.Path, devnet.EngineOptions(verifySignatures: true)));
        var validator = new Validator(settlement, new ChainExecutor(chain), new ValidatorOptions(), NullLogger.Instance);
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

    private async Task SubmitUntilGoneAsync(P.Submission.SubmissionClient submission, PrivateKey key, int k, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // Logged, ordered, executed and posted like any transaction (rejected by the engine: no market 9).
            var nonce = (ulong)Interlocked.Increment(ref _nonces[k]);
            var tx = TransactionSigning.Sign(new Transaction { Kind = TxKind.CancelAllOrders, Account = key.Address, Market = 9, Nonce = nonce }, key, devnet.Domain);
            try
            {
                var response = await submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(tx) }, cancellationToken: stop);
                Acked[response.Ack.Sequence] = new Hash256(response.Ack.TxHash.Span);
            }
            catch (RpcException error) when (error.StatusCode is StatusCode.AlreadyExists or StatusCode.FailedPrecondition)
            {
                // A nonce the node logged before a kill without the ack reaching us: the next one goes on.
            }
            catch (RpcException)
            {
                return; // killed, or stopped
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
}
