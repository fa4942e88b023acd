using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps;

/// <summary>
/// The accounts domain's step function (docs/steps.md, "The accounts domain"): one step from a state, its input and
/// the leaves it reads. It sees only proven leaves, so run on a witness it is the check L1's
/// <c>AccountsStepVerifier</c> makes, and run on whole trees it is what builds the trace.
/// </summary>
public static class AccountsStepFunction
{
    public static AccountsState Apply(in AccountsState pre, AccountsStepContext context, in L1Deposit deposit, IStepLeafSource leaves, out AccountsStepOutcome outcome) =>
        pre.NextStep switch
        {
            AccountsStepKind.BlockStart => BlockStart(pre, context, leaves, out outcome),
            AccountsStepKind.Transaction => AccountsTransactionStep.Apply(pre, context, deposit, leaves, out outcome),
            _ => Reply(pre, context, leaves, out outcome),
        };

    /// <summary>
    /// The verifier's check: the step from <paramref name="pre"/> on exactly the leaves of <paramref name="witness"/>,
    /// each proven against the state's roots. Throws <see cref="StepProofException"/> where L1's verifier reverts.
    /// </summary>
    public static AccountsState Verify(in AccountsState pre, AccountsStepContext context, in L1Deposit deposit, IReadOnlyList<StepLeaf> witness)
    {
        var leaves = new WitnessLeafSource(witness);
        var post = Apply(pre, context, deposit, leaves, out _);
        leaves.RequireAllRead();
        return post;
    }

    private static AccountsState BlockStart(in AccountsState pre, AccountsStepContext context, IStepLeafSource leaves, out AccountsStepOutcome outcome)
    {
        var block = pre.Block + 1;
        var header = leaves.Read(StepTree.Blocks, 0, context.BlocksRoot, StepKeys.Block(block));
        if (header.Record.Length != StepKeys.BlockHeaderLength)
        {
            throw new StepProofException($"block {block} is not in the batch");
        }
        var firstSequence = BinaryPrimitives.ReadUInt64BigEndian(header.Record.AsSpan(8));
        if (firstSequence != pre.FirstSequence + pre.TxCount)
        {
            throw new StepProofException($"block {block} starts at sequence {firstSequence}, not {pre.FirstSequence + pre.TxCount}");
        }
        outcome = default;
        return pre with
        {
            Block = block,
            FirstSequence = firstSequence,
            TxCount = BinaryPrimitives.ReadUInt32BigEndian(header.Record.AsSpan(16)),
            TxIndex = 0,
            RepliesRoot = Hash256.Zero,
            ReplyCount = 0,
            NextReply = 0,
            RoutedRoot = Hash256.Zero,
            NextSlot = 0,
        };
    }

    private static AccountsState Reply(in AccountsState pre, AccountsStepContext context, IStepLeafSource leaves, out AccountsStepOutcome outcome)
    {
        var expected = leaves.Read(StepTree.Replies, 0, pre.RepliesRoot, StepKeys.Reply(pre.NextReply));
        if (expected.Record.Length != 8)
        {
            throw new StepProofException($"reply {pre.NextReply} is not expected");
        }
        var market = BinaryPrimitives.ReadUInt32BigEndian(expected.Record);
        var txIndex = BinaryPrimitives.ReadUInt32BigEndian(expected.Record.AsSpan(4));
        if (!context.MarketOutboxes.TryGetValue(market, out var outbox))
        {
            throw new StepProofException($"market {market} has no claim in the batch");
        }
        var post = pre with { NextReply = pre.NextReply + 1 };
        var sequence = pre.FirstSequence + txIndex;
        var reply = leaves.Read(StepTree.MarketOutbox, market, outbox, StepKeys.BlockTx(pre.Block, txIndex));
        if (!reply.IsPresent)
        {
            outcome = new AccountsStepOutcome(sequence, null, null, null, 0);
            return post;
        }
        if (reply.Record.Length != Address.Length + 8)
        {
            throw new StepProofException($"market {market}'s reply to transaction {txIndex} is not an account and an amount");
        }
        var account = new Address(reply.Record.AsSpan(0, Address.Length));
        var amount = BinaryPrimitives.ReadInt64BigEndian(reply.Record.AsSpan(Address.Length));
        if (amount < 0)
        {
            throw new StepProofException($"market {market} replies a negative amount to transaction {txIndex}");
        }
        var key = StateTrees.AccountKey(account);
        var leaf = leaves.Read(StepTree.Accounts, 0, pre.AccountsRoot, key);
        var state = AccountLeaf.Decode(leaf);
        var credited = AccountFunds.Credit(state, market, pre.Block, amount) ? amount : 0;
        outcome = new AccountsStepOutcome(sequence, null, null, account, credited);
        return post with { AccountsRoot = AccountLeaf.Write(leaves, leaf, key, state) };
    }

    /// <summary>keccak256(h ‖ u64 sequence ‖ u8 status): the receipts this domain decides, in trace order.</summary>
    public static Hash256 FoldReceipt(in Hash256 receipts, ulong sequence, TxStatus status)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length + 9];
        receipts.CopyTo(bytes);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[Hash256.Length..], sequence);
        bytes[^1] = (byte)status;
        return Keccak256.Compute(bytes);
    }
}

/// <summary>An account leaf of a step: decoded from its record (fresh when absent), written back from the same proof.</summary>
internal static class AccountLeaf
{
    public static AccountState Decode(StepLeaf leaf)
    {
        if (!leaf.IsPresent)
        {
            return new AccountState();
        }
        return StateRecords.TryDecodeAccount(leaf.Record)
            ?? throw new StepProofException("an account record is not one the accounts tree holds (docs/state.md)");
    }

    public static Hash256 Write(IStepLeafSource leaves, StepLeaf leaf, in Hash256 key, AccountState state)
    {
        var record = StateRecords.EncodeAccount(state);
        var newRoot = leaf.RootAfterWrite(key, record);
        leaves.Wrote(StepTree.Accounts, 0, key, record, newRoot);
        return newRoot;
    }
}
