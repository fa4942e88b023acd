using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// A bulk in its market (docs/steps.md, "Bulks"), as the engine runs it (Market.ExecuteBulk): its Message step checks
/// the slots and leaves the first item pending; each Continue step then runs one item, or one half of a cancel-replace
/// (its cancel, then, only if that cancelled, its place), and folds each item's status as a receipt of the bulk's
/// sequence. An item that places is a PlaceOrder at slot first + its list position; a sweep it leaves carries the
/// bulk's work after it as its tail.
/// </summary>
internal static class MarketBulkSteps
{
    /// <summary>The Message step: <c>TooManyOrdersInBlock</c> for the whole bulk, or its first item pending.</summary>
    public static TxStatus? Open(MarketStepRun run, in Transaction tx, ulong sequence, uint txIndex, uint slot)
    {
        var items = tx.Items!.Span;
        if (slot > (uint)(Market.MaxOrderSlots - items.Length))
        {
            return TxStatus.TooManyOrdersInBlock;
        }
        run.State = run.State with { Pending = new BulkWork(sequence, txIndex, slot, (byte)items.Length, 0, HalfOf(items[0])).Encode() };
        return null;
    }

    /// <summary>A Continue step of a pending bulk: item <see cref="BulkWork.Next"/>'s half.</summary>
    public static void Continue(MarketStepRun run, BulkWork work)
    {
        if (work.IsDone)
        {
            throw new StepProofException("a pending bulk has no item left");
        }
        var tx = ReadBulk(run, work);
        var items = tx.Items!.Span;
        var item = items[work.Next];
        var after = work.Next + 1 < work.Count
            ? work with { Next = (byte)(work.Next + 1), Half = HalfOf(items[work.Next + 1]) }
            : work with { Next = work.Count, Half = BulkHalf.None };
        TxStatus? status;
        if (work.Half == BulkHalf.Cancel)
        {
            if (item.Action == BulkAction.Place)
            {
                throw new StepProofException("the pending bulk's item places, it does not cancel");
            }
            status = MarketCancelSteps.Cancel(run, CancelOf(tx, item));
            if (item.Action == BulkAction.CancelReplace && status == TxStatus.Accepted)
            {
                run.State = run.State with { Pending = (work with { Half = BulkHalf.Place }).Encode() };
                return;
            }
        }
        else
        {
            if (!item.Places)
            {
                throw new StepProofException("the pending bulk's item cancels, it does not place");
            }
            status = MarketOrderSteps.Place(run, item.ToPlaceOrder(tx.Account, tx.Market), work.Sequence, work.TxIndex, work.Slot + work.Next);
            if (status is null)
            {
                run.State = run.State with { Pending = [.. run.State.Pending, .. after.Encode()] };
                return;
            }
        }
        run.Decide(MarketStepKind.Continue, work.Sequence, status!.Value, work.Next);
        run.State = run.State with { Pending = after.IsDone ? [] : after.Encode() };
    }

    /// <summary>What is pending once a sweep ends: its tail's bulk work, or nothing (a PlaceOrder's, or a bulk's last item).</summary>
    public static byte[] AfterSweep(byte[] tail) => tail.Length == 0 || BulkWork.Decode(tail).IsDone ? [] : tail;

    private static BulkHalf HalfOf(in BulkItem item) => item.Action == BulkAction.Place ? BulkHalf.Place : BulkHalf.Cancel;

    private static Transaction CancelOf(in Transaction bulk, in BulkItem item) => new()
    {
        Kind = item.Action == BulkAction.CancelByClientId ? TxKind.CancelOrderByClientId : TxKind.CancelOrder,
        Account = bulk.Account,
        Market = bulk.Market,
        OrderId = item.OrderId,
        ClientOrderId = item.ClientOrderId,
    };

    /// <summary>The bulk at the work's sequence, proven in the batch's transactions, for this market and of the work's length.</summary>
    private static Transaction ReadBulk(MarketStepRun run, BulkWork work)
    {
        var input = run.Leaves.ReadInput(StepTree.Transactions, run.Context.TxRoot, StepKeys.Sequence(work.Sequence));
        if (!TransactionCodec.TryDecode(input.Record, out var tx, out var consumed, out _) || consumed != input.Record.Length)
        {
            throw new StepProofException($"sequence {work.Sequence} is not one well-formed transaction of the batch");
        }
        if (tx.Kind != TxKind.Bulk || tx.Market != run.State.Market || tx.Items!.Count != work.Count)
        {
            throw new StepProofException($"sequence {work.Sequence} is not the pending bulk of market {run.State.Market}");
        }
        return tx;
    }
}
