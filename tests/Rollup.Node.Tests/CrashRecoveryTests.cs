using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Rollup.Api;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Node.Hosting;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Log;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests;

public class CrashRecoveryTests
{
    private static readonly Eip712Domain Domain = RollupDomain.Create(31337, Address.Zero);

    [Fact]
    public async Task Node_KilledUnderLoadSeveralTimes_NoAcknowledgedTxLostAndRootMatchesCleanReplay()
    {
        using var data = new TempDirectory("rollup-crash");
        var keys = Enumerable.Range(1, 8).Select(ChainFlowGenerator.KeyOf).ToArray();
        var nonces = new long[keys.Length];
        var acked = new ConcurrentDictionary<ulong, Hash256>();
        var random = new Random(2026);

        for (var round = 0; round < 3; round++)
        {
            using var node = await NodeProcess.StartAsync(data.Path);
            using var channel = GrpcChannel.ForAddress(node.Address);
            var submission = new P.Submission.SubmissionClient(channel);
            using var stop = new CancellationTokenSource();
            var killAfter = random.Next(100, 600);
            var senders = keys.Select((key, k) => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var nonce = (ulong)Interlocked.Increment(ref nonces[k]);
                    // Any signed transaction will do: it is logged, ordered and executed (here rejected: no such market).
                    var tx = TransactionSigning.Sign(new Transaction { Kind = TxKind.CancelAllOrders, Account = key.Address, Market = 9, Nonce = nonce }, key, Domain);
                    try
                    {
                        var response = await submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(tx) });
                        acked[response.Ack.Sequence] = new Hash256(response.Ack.TxHash.Span);
                    }
                    catch (RpcException)
                    {
                        return; // the node is gone
                    }
                }
            })).ToArray();
            while (acked.Count < killAfter * (round + 1) / 2 + (round * 200))
            {
                await Task.Delay(5);
            }
            await node.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        // A last clean start replays whatever the kills left behind, then a graceful stop.
        using (var node = await NodeProcess.StartAsync(data.Path))
        {
            Assert.Equal(0, await node.StopAsync());
        }

        // Every acknowledged transaction is in the log, under its sequence number, with its hash.
        using (var log = TxLog.Open(Path.Combine(data.Path, "txlog")))
        {
            Assert.True(acked.Count > 300, $"only {acked.Count} acknowledged");
            var logged = log.ReadRange(0, log.NextSequence);
            foreach (var (sequence, hash) in acked)
            {
                var encoded = new byte[TransactionCodec.GetEncodedLength(logged[sequence])];
                TransactionCodec.Encode(logged[sequence], encoded);
                Assert.Equal(hash, Keccak256.Compute(encoded));
            }

            // The node's state equals a clean replay of the log on a fresh engine.
            using var fresh = new TempDirectory("rollup-replay");
            var options = SequencerFactory.Options(new NodeOptions { DataDir = data.Path }).Engine;
            using var replay = ExecutionEngine.Open(fresh.Path, options);
            for (ulong number = 1; number <= log.LastBlock!.Value.Number; number++)
            {
                var block = log.GetBlock(number)!.Value;
                replay.Execute(new Block(number, block.Timestamp, log.ReadRange(block.FirstSequence, block.EndSequence)));
            }
            using var state = ExecutionEngine.Open(Path.Combine(data.Path, "state"), options);
            Assert.Equal(replay.Head.BlockNumber, state.Head.BlockNumber);
            Assert.Equal(replay.Head.StateRoot, state.Head.StateRoot);
        }
    }
}
