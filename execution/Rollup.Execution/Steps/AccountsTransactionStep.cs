using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Steps;

/// <summary>
/// The accounts domain's Transaction step (docs/steps.md, "Transaction"): signature, nonce, authorization, then the
/// kind's work, reading the witness's leaves in the documented order.
/// </summary>
internal static class AccountsTransactionStep
{
    public static AccountsState Apply(in AccountsState pre, AccountsStepContext context, in L1Deposit deposit, IStepLeafSource leaves, out AccountsStepOutcome outcome)
    {
        var sequence = pre.FirstSequence + pre.TxIndex;
        var input = leaves.Read(StepTree.Transactions, 0, context.TxRoot, StepKeys.Sequence(sequence));
        if (!TransactionCodec.TryDecode(input.Record, out var tx, out var consumed, out _) || consumed != input.Record.Length)
        {
            throw new StepProofException($"sequence {sequence} is not one well-formed transaction of the batch");
        }
        var run = new Run(pre with { TxIndex = pre.TxIndex + 1 }, context, leaves, sequence);
        if (tx.Kind == TxKind.Deposit)
        {
            if (deposit.Account != tx.Account || deposit.Amount != tx.Amount)
            {
                throw new StepProofException($"deposit {tx.DepositIndex} is not L1's");
            }
            run.Deposit(tx);
        }
        else
        {
            run.Signed(tx);
        }
        outcome = run.Outcome;
        return run.State with { NextSlot = OrderSlots.After(pre.NextSlot, tx) };
    }

    /// <summary>One transaction's step: the state as it changes, and what was decided.</summary>
    private sealed class Run(AccountsState state, AccountsStepContext context, IStepLeafSource leaves, ulong sequence)
    {
        public AccountsState State { get; private set; } = state;

        public AccountsStepOutcome Outcome { get; private set; }

        public void Deposit(in Transaction tx)
        {
            if (tx.DepositIndex != State.NextDepositIndex)
            {
                Decide(TxStatus.DepositOutOfOrder);
                return;
            }
            if (tx.Amount > long.MaxValue || State.TotalDeposits > long.MaxValue - (long)tx.Amount)
            {
                Decide(TxStatus.Overflow);
                return;
            }
            var (leaf, key, account) = ReadAccount(tx.Account);
            account.FreeBalance += (long)tx.Amount;
            State = State with
            {
                NextDepositIndex = State.NextDepositIndex + 1,
                TotalDeposits = State.TotalDeposits + (long)tx.Amount,
                AccountsRoot = AccountLeaf.Write(leaves, leaf, key, account),
            };
            Decide(TxStatus.Accepted);
        }

        public void Signed(in Transaction tx)
        {
            if (TransactionSigning.TryRecoverSigner(tx, context.Domain, out var signer) != Primitives.Signatures.SignatureError.None || signer != tx.Account)
            {
                Decide(TxStatus.BadSignature);
                return;
            }
            var (leaf, key, account) = ReadAccount(tx.Account);
            var status = Nonce(account, tx.Nonce);
            if (status == TxStatus.Accepted && tx.Kind.IsMarketAdministration() && !IsOperator(tx.Account))
            {
                status = TxStatus.NotOperator;
            }
            if (status == TxStatus.Accepted)
            {
                KindWork(tx, account);
            }
            else
            {
                Decide(status);
            }
            // Written whatever was decided: a refused transaction has spent its nonce, and a new signer's record exists now.
            State = State with { AccountsRoot = AccountLeaf.Write(leaves, leaf, key, account) };
        }

        private void KindWork(in Transaction tx, AccountState account)
        {
            switch (tx.Kind)
            {
                case TxKind.Withdraw:
                    Withdraw(tx, account);
                    return;
                case TxKind.CreateMarket:
                    CreateMarket(tx);
                    return;
                default:
                    ToMarket(tx, account);
                    return;
            }
        }

        private void Withdraw(in Transaction tx, AccountState account)
        {
            var status = AccountFunds.Withdraw(account, tx.Amount, State.Block, out var drawn);
            if (status != TxStatus.Accepted)
            {
                Decide(status);
                return;
            }
            var key = StepKeys.BlockTx(State.Block, State.TxIndex - 1);
            var leaf = ReadAbsent(StepTree.Withdrawals, 0, State.WithdrawalsRoot, key, "withdrawal");
            State = State with
            {
                TotalWithdrawals = State.TotalWithdrawals + (long)tx.Amount,
                WithdrawalsRoot = Write(StepTree.Withdrawals, 0, leaf, key, WithdrawalLeaf.Record(tx.Account, (long)tx.Amount, drawn)),
            };
            Decide(TxStatus.Accepted);
        }

        private void CreateMarket(in Transaction tx)
        {
            var key = StepKeys.Market(tx.Market);
            var registered = leaves.Read(StepTree.Registry, 0, State.RegistryRoot, key);
            if (registered.IsPresent)
            {
                Decide(TxStatus.MarketExists);
                return;
            }
            if (tx.Params is null || !MarketParamsRules.AreValid(tx.Params))
            {
                Decide(TxStatus.InvalidMarketParams);
                return;
            }
            State = State with { RegistryRoot = Write(StepTree.Registry, 0, registered, key, StepKeys.RegistryRecord) };
            Route(tx.Market);
            Decide(TxStatus.Accepted);
            Outcome = Outcome with { RoutedTo = tx.Market };
        }

        private void ToMarket(in Transaction tx, AccountState account)
        {
            var registered = leaves.Read(StepTree.Registry, 0, State.RegistryRoot, StepKeys.Market(tx.Market));
            if (!registered.IsPresent)
            {
                Decide(TxStatus.UnknownMarket);
                return;
            }
            if (tx.Kind == TxKind.TransferMargin)
            {
                var status = tx.ToMarket ? AccountFunds.TransferIn(account, tx.Market, tx.Amount, State.Block) : AccountFunds.TransferOut(account, tx.Market, State.Block);
                if (status != TxStatus.Accepted)
                {
                    Decide(status);
                    return;
                }
            }
            Route(tx.Market);
            if (tx.Kind == TxKind.TransferMargin)
            {
                ExpectReply(tx.Market);
            }
            Outcome = new AccountsStepOutcome(sequence, null, tx.Market, null, 0);
        }

        /// <summary>Message j of this block to market m, j being m's routed count, which goes up by one.</summary>
        private void Route(uint market)
        {
            var countKey = StepKeys.Market(market);
            var count = leaves.Read(StepTree.Routed, 0, State.RoutedRoot, countKey);
            if (count.IsPresent && count.Record.Length != 4)
            {
                throw new StepProofException($"market {market}'s routed count is not a u32");
            }
            var j = count.IsPresent ? BinaryPrimitives.ReadUInt32BigEndian(count.Record) : 0;
            var messageKey = StepKeys.OutboxMessage(market, State.Block, j);
            var message = ReadAbsent(StepTree.Outbox, 0, State.OutboxRoot, messageKey, "outbox message");
            var txIndex = State.TxIndex - 1;
            State = State with
            {
                RoutedRoot = Write(StepTree.Routed, 0, count, countKey, StepKeys.U32(j + 1)),
                OutboxRoot = Write(StepTree.Outbox, 0, message, messageKey, StepKeys.OutboxMessageRecord(sequence, txIndex, State.NextSlot)),
            };
        }

        private void ExpectReply(uint market)
        {
            var key = StepKeys.Reply(State.ReplyCount);
            var leaf = ReadAbsent(StepTree.Replies, 0, State.RepliesRoot, key, "expected reply");
            State = State with
            {
                RepliesRoot = Write(StepTree.Replies, 0, leaf, key, StepKeys.ReplyRecord(market, State.TxIndex - 1)),
                ReplyCount = State.ReplyCount + 1,
            };
        }

        private static TxStatus Nonce(AccountState account, ulong nonce)
        {
            account.Nonces.TryConsume(nonce, out var error);
            return TxStatuses.Of(error);
        }

        private bool IsOperator(in Address account)
        {
            foreach (var op in context.Operators)
            {
                if (op == account)
                {
                    return true;
                }
            }
            return false;
        }

        private (StepLeaf Leaf, Primitives.Hash256 Key, AccountState Account) ReadAccount(in Address address)
        {
            var key = StateTrees.AccountKey(address);
            var leaf = leaves.Read(StepTree.Accounts, 0, State.AccountsRoot, key);
            return (leaf, key, AccountLeaf.Decode(leaf));
        }

        private StepLeaf ReadAbsent(StepTree tree, uint market, in Primitives.Hash256 root, in Primitives.Hash256 key, string what)
        {
            var leaf = leaves.Read(tree, market, root, key);
            if (leaf.IsPresent)
            {
                throw new StepProofException($"the {what} leaf is taken already");
            }
            return leaf;
        }

        private Primitives.Hash256 Write(StepTree tree, uint market, StepLeaf leaf, in Primitives.Hash256 key, byte[] record)
        {
            var root = leaf.RootAfterWrite(key, record);
            leaves.Wrote(tree, market, key, record, root);
            return root;
        }

        private void Decide(TxStatus status)
        {
            State = State with { ReceiptsHash = AccountsStepFunction.FoldReceipt(State.ReceiptsHash, sequence, status) };
            Outcome = new AccountsStepOutcome(sequence, status, null, null, 0);
        }
    }
}
