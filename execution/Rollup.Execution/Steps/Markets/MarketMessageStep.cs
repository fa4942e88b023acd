using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// The Message step (docs/steps.md, "Its steps"): the transaction the accounts domain routed to this market as message
/// j of the block, proven in its outbox and in the batch's transactions, run by its kind's unit.
/// </summary>
internal static class MarketMessageStep
{
    public static void Apply(MarketStepRun run, StepLeaf message)
    {
        if (message.Record.Length != StepKeys.OutboxMessageLength)
        {
            throw new StepProofException("a routed message is not a sequence, an index and a slot");
        }
        var sequence = BinaryPrimitives.ReadUInt64BigEndian(message.Record);
        var txIndex = BinaryPrimitives.ReadUInt32BigEndian(message.Record.AsSpan(8));
        var slot = BinaryPrimitives.ReadUInt32BigEndian(message.Record.AsSpan(12));
        var input = run.Leaves.ReadInput(StepTree.Transactions, run.Context.TxRoot, StepKeys.Sequence(sequence));
        if (!TransactionCodec.TryDecode(input.Record, out var tx, out var consumed, out _) || consumed != input.Record.Length)
        {
            throw new StepProofException($"sequence {sequence} is not one well-formed transaction of the batch");
        }
        if (tx.Market != run.State.Market || !tx.Kind.IsSigned() || tx.Kind is TxKind.Withdraw)
        {
            throw new StepProofException($"sequence {sequence} is not a transaction for market {run.State.Market}");
        }
        if (tx.Kind != TxKind.CreateMarket && !run.MarketExists)
        {
            throw new StepProofException($"market {run.State.Market} does not exist");
        }
        var status = tx.Kind switch
        {
            TxKind.Bulk => MarketBulkSteps.Open(run, tx, sequence, txIndex, slot),
            TxKind.CreateMarket => MarketAdminSteps.Create(run, tx),
            TxKind.SetMarketParams => MarketAdminSteps.SetParams(run, tx),
            TxKind.PauseMarket => MarketAdminSteps.Pause(run),
            TxKind.ResumeMarket => MarketAdminSteps.Resume(run),
            TxKind.OracleUpdate => MarketAdminSteps.Oracle(run, tx),
            TxKind.TransferMargin when tx.ToMarket => MarketMarginSteps.In(run, tx),
            TxKind.TransferMargin => MarketMarginSteps.Out(run, tx, txIndex),
            TxKind.CancelOrder or TxKind.CancelOrderByClientId => MarketCancelSteps.Cancel(run, tx),
            TxKind.CancelAllOrders => MarketCancelSteps.CancelAll(run, new CancelAllWork(sequence, txIndex, tx.Account), first: true),
            _ => MarketOrderSteps.Place(run, tx, sequence, txIndex, slot),
        };
        // CreateMarket's receipt is the accounts domain's; a transaction whose work goes on in the next step has none yet.
        if (status is { } decided && tx.Kind != TxKind.CreateMarket)
        {
            run.Decide(MarketStepKind.Message, sequence, decided);
        }
    }
}
