using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Rollup.Api;
using Rollup.Execution.Transactions;
using Rollup.Node.Hosting;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Sequencer.Log;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests;

/// <summary>
/// A real write error from RocksDB: the node runs under a file size limit (EFBIG once a write-ahead log outgrows it), so
/// under load one of its loops' writes fails inside RocksDB. The node must say so, refuse further work, exit with the
/// loop-failed code, and come back whole without the limit: every acknowledged transaction in its log and executed.
/// </summary>
public class DiskWriteFaultTests
{
    private static readonly Eip712Domain Domain = RollupDomain.Create(31337, Address.Zero);

    [Fact]
    public async Task RocksDbWriteFails_NodeStopsLoudly_AndRestartRecoversEveryAck()
    {
        using var data = new TempDirectory("rollup-disk-fault");
        var keys = Enumerable.Range(1, 6).Select(ChainFlowGenerator.KeyOf).ToArray();
        var acked = new ConcurrentDictionary<ulong, Hash256>();
        var refusals = new ConcurrentBag<string>();

        int exitCode;
        string output;
        using (var node = await NodeProcess.StartAsync(data.Path, fileSizeLimitKb: 1024))
        {
            using var channel = GrpcChannel.ForAddress(node.Address);
            var submission = new P.Submission.SubmissionClient(channel);
            var senders = keys.Select(key => Task.Run(async () =>
            {
                for (ulong nonce = 1; nonce < 100_000; nonce++)
                {
                    // Any signed transaction will do: it is logged, ordered and executed (here rejected: no such market).
                    var tx = TransactionSigning.Sign(new Transaction { Kind = TxKind.CancelAllOrders, Account = key.Address, Market = 9, Nonce = nonce }, key, Domain);
                    try
                    {
                        var response = await submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(tx) });
                        acked[response.Ack.Sequence] = new Hash256(response.Ack.TxHash.Span);
                    }
                    catch (RpcException error)
                    {
                        refusals.Add($"{error.StatusCode}: {error.Status.Detail}");
                        return;
                    }
                }
            })).ToArray();
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(3));
            exitCode = await node.WaitForExitAsync(TimeSpan.FromMinutes(1));
            output = node.Output;
        }

        Assert.Equal(NodeRunner.LoopFailedExitCode, exitCode);
        // The state's write-ahead log outgrows the limit first: the block producer's commit is refused by RocksDB.
        Assert.Matches("block producer failed: RocksDB write batch failed: IO error: .*File too large", output);
        Assert.Contains("stopping with exit code 7", output, StringComparison.Ordinal);
        Assert.Contains(refusals, r => r.StartsWith("Unavailable", StringComparison.Ordinal));
        Assert.True(acked.Count > 100, $"only {acked.Count} acknowledged before the write failed");

        // Without the limit the node recovers: it serves, and executes everything it acknowledged.
        var last = acked.Keys.Max();
        using (var node = await NodeProcess.StartAsync(data.Path))
        {
            using var channel = GrpcChannel.ForAddress(node.Address);
            var query = new P.Query.QueryClient(channel);
            P.LocatedReceipt? receipt = null;
            for (var attempt = 0; attempt < 600 && receipt is null; attempt++)
            {
                try
                {
                    receipt = await query.GetReceiptBySequenceAsync(new P.GetReceiptBySequenceRequest { Sequence = last });
                }
                catch (RpcException error) when (error.StatusCode == StatusCode.Unavailable)
                {
                    await Task.Delay(50); // acked, not yet in a block: the recovered producer cuts it
                }
            }
            Assert.NotNull(receipt);
            Assert.Equal(0, await node.StopAsync());
        }
        using var log = TxLog.Open(Path.Combine(data.Path, "txlog"));
        foreach (var (sequence, hash) in acked)
        {
            var logged = log.ReadRange(sequence, sequence + 1)[0];
            var encoded = new byte[TransactionCodec.GetEncodedLength(logged)];
            TransactionCodec.Encode(logged, encoded);
            Assert.Equal(hash, Keccak256.Compute(encoded));
        }
    }
}
