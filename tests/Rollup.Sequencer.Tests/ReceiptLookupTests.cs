using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Tests;

/// <summary>Receipts by an ack's sequence number and tx hash: before the block (a status that says retry) and after it.</summary>
public sealed class ReceiptLookupTests
{
    private static readonly PrivateKey SequencerKey = ChainFlowGenerator.KeyOf(0xFFF9);
    private static readonly PrivateKey Alice = ChainFlowGenerator.KeyOf(1);
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };

    [Fact]
    public async Task An_acked_transaction_is_unavailable_by_sequence_until_its_block_then_found_by_sequence_and_hash()
    {
        using var directory = new TempDirectory("rollup-receipts");
        await using var sequencer = Sequencer.Start(new SequencerOptions { DataDir = directory.Path, Engine = Engine, Key = SequencerKey, BlockInterval = TimeSpan.FromMilliseconds(10) }, NullLogger.Instance);
        using var executing = new ManualResetEventSlim(false);
        // Holds the block producer before each block: the ack (the log) happens, the block does not, until released.
        sequencer.BeforeExecute = _ => executing.Wait();
        var api = ApiServices.Of(new SubmissionService(sequencer), new QueryService(sequencer), new StreamsService(sequencer));
        await using var server = await ApiTestHost.StartAsync(api.Register, api.Map, new ApiTestHostOptions { InProcess = true });
        using var channel = server.CreateChannel();
        var query = new P.Query.QueryClient(channel);
        var blocks = sequencer.Subscribe();

        // A withdrawal with no balance behind it: admitted and acked, refused in its block.
        var tx = TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 5 }, Alice, RollupDomain.Create(Engine.ChainId, Engine.SettlementContract));
        var ack = (await new P.Submission.SubmissionClient(channel).SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(tx) })).Ack;

        var pending = await Assert.ThrowsAsync<RpcException>(async () => await query.GetReceiptBySequenceAsync(new P.GetReceiptBySequenceRequest { Sequence = ack.Sequence }));
        Assert.Equal(StatusCode.Unavailable, pending.StatusCode);
        Assert.Equal($"sequence {ack.Sequence} is acked but not yet in an executed block; retry", pending.Status.Detail);
        var notYetByHash = await Assert.ThrowsAsync<RpcException>(async () => await query.GetReceiptByHashAsync(new P.GetReceiptByHashRequest { TxHash = ack.TxHash }));
        Assert.Equal(StatusCode.NotFound, notYetByHash.StatusCode);
        var never = await Assert.ThrowsAsync<RpcException>(async () => await query.GetReceiptBySequenceAsync(new P.GetReceiptBySequenceRequest { Sequence = ack.Sequence + 1 }));
        Assert.Equal(StatusCode.NotFound, never.StatusCode);
        Assert.Contains($"no transaction has sequence {ack.Sequence + 1}", never.Status.Detail, StringComparison.Ordinal);

        executing.Set();
        BlockResult? block = null;
        while (block is null && await blocks.WaitToReadAsync())
        {
            while (blocks.TryRead(out var result))
            {
                block = result.Receipts.Length > 0 ? result : block;
            }
        }
        sequencer.Unsubscribe(blocks);
        var receipt = Assert.Single(block!.Receipts);

        var bySequence = await query.GetReceiptBySequenceAsync(new P.GetReceiptBySequenceRequest { Sequence = ack.Sequence });
        Assert.Equal((block.Number, 0U, ack.Sequence), (bySequence.BlockNumber, bySequence.Index, bySequence.Sequence));
        Assert.Equal(ack.TxHash, bySequence.Receipt.TxHash);
        Assert.Equal((uint)receipt.Status, bySequence.Receipt.Rejection.Code);
        Assert.Equal(TxStatus.InsufficientBalance, receipt.Status);
        // The receipt's reason is a sentence to act on (docs/statuses.md), not the status's name again.
        Assert.Equal("InsufficientBalance", bySequence.Receipt.Rejection.Name);
        Assert.Equal("The amount is more than the account's free balance: deposit more, or move margin out of a market first.", bySequence.Receipt.Rejection.Reason);
        var byHash = await query.GetReceiptByHashAsync(new P.GetReceiptByHashRequest { TxHash = ack.TxHash });
        Assert.Equal(bySequence, byHash);
        Assert.Equal(byHash, await query.GetReceiptByHashAsync(new P.GetReceiptByHashRequest { Hash = "0x" + Convert.ToHexStringLower(ack.TxHash.Span) }));

        var badHash = await Assert.ThrowsAsync<RpcException>(async () => await query.GetReceiptByHashAsync(new P.GetReceiptByHashRequest { TxHash = ByteString.CopyFrom(1, 2, 3) }));
        Assert.Equal(StatusCode.InvalidArgument, badHash.StatusCode);
        Assert.Equal("tx_hash: a hash is 32 bytes, got 3", badHash.Status.Detail);
    }
}
