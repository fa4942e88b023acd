using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps;

/// <summary>What a batch commitment claims of one domain (docs/steps.md, "Claims"): its step states at the batch's start and end, and the steps between.</summary>
public readonly record struct DomainClaim(Hash256 Start, Hash256 End, ulong Steps)
{
    /// <summary>keccak256(start ‖ end ‖ u64 steps): the claim's value hash in the commitment's claims tree.</summary>
    public Hash256 ValueHash()
    {
        Span<byte> bytes = stackalloc byte[72];
        Start.CopyTo(bytes);
        End.CopyTo(bytes[32..]);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[64..], Steps);
        return Keccak256.Compute(bytes);
    }
}

/// <summary>The accounts domain's state that lasts from batch to batch: the fields of its step state a batch starts from.</summary>
public sealed record AccountsDomainState(Hash256 AccountsRoot, IReadOnlyCollection<uint> Markets, ulong NextDepositIndex, long TotalDeposits, long TotalWithdrawals)
{
    public Hash256 RegistryRoot()
    {
        var leaves = new MerkleUpdate[Markets.Count];
        var i = 0;
        foreach (var market in Markets)
        {
            leaves[i++] = new MerkleUpdate(StepKeys.Market(market), RegistryValue);
        }
        return SparseMerkleTree.InMemory(leaves).Root;
    }

    private static readonly Hash256 RegistryValue = Keccak256.Compute(StepKeys.RegistryRecord);
}

/// <summary>
/// The accounts domain's claim for a batch without its trace: the step states at the batch's start and end and the
/// step count, from the blocks, the engine's receipts and the accounts root the engine reached. What the step function
/// decides is read off the receipts (a refusal this domain makes is one no market makes), and only the batch's own
/// trees are built, so a poster or a validator claims a batch in a few hashes per transaction. The trace tests hold
/// it to the full trace of <see cref="AccountsTraceBuilder"/>.
/// </summary>
public static class AccountsClaims
{
    public static (DomainClaim Claim, AccountsDomainState End) Compute(
        AccountsDomainState start, ulong firstSequence, IReadOnlyList<Block> blocks, IReadOnlyList<IReadOnlyList<Receipt>> receipts, Hash256 endAccountsRoot)
    {
        var (claim, end, _) = ComputeWithEndState(start, firstSequence, blocks, receipts, endAccountsRoot);
        return (claim, end);
    }

    /// <summary>
    /// The claim of a batch of executed <paramref name="records"/> with its end step state opened: what L1's
    /// <c>claimWithdrawal</c> proves a withdrawal against (its withdrawalsRoot, docs/contract.md "Withdrawals").
    /// </summary>
    public static (DomainClaim Claim, AccountsState EndState) ClaimWithEndState(AccountsDomainState start, ulong firstSequence, IReadOnlyList<BlockRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var blocks = new Block[records.Count];
        var receipts = new IReadOnlyList<Receipt>[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            blocks[i] = records[i].Block;
            receipts[i] = records[i].Receipts;
        }
        var (claim, _, endState) = ComputeWithEndState(start, firstSequence, blocks, receipts, records[^1].AccountsRoot);
        return (claim, endState);
    }

    private static (DomainClaim Claim, AccountsDomainState End, AccountsState EndState) ComputeWithEndState(
        AccountsDomainState start, ulong firstSequence, IReadOnlyList<Block> blocks, IReadOnlyList<IReadOnlyList<Receipt>> receipts, Hash256 endAccountsRoot)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(receipts);
        var startState = new AccountsState
        {
            AccountsRoot = start.AccountsRoot,
            RegistryRoot = start.RegistryRoot(),
            NextDepositIndex = start.NextDepositIndex,
            TotalDeposits = start.TotalDeposits,
            TotalWithdrawals = start.TotalWithdrawals,
        }.StartOfBatch(blocks[0].Number, firstSequence);

        var markets = new SortedSet<uint>(start.Markets);
        var withdrawals = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var outbox = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var receiptsHash = Hash256.Zero;
        var (nextDeposit, deposits, withdrawn) = (start.NextDepositIndex, start.TotalDeposits, start.TotalWithdrawals);
        var sequence = firstSequence;
        var steps = 0UL;
        var block = new BlockEnd(Hash256.Zero, Hash256.Zero, 0);
        var slot = 0U;
        for (var b = 0; b < blocks.Count; b++)
        {
            steps++;
            slot = 0;
            var routed = new SortedDictionary<uint, uint>();
            var replies = new List<(uint Market, uint TxIndex)>();
            var transactions = blocks[b].Transactions;
            for (var i = 0; i < transactions.Length; i++, sequence++)
            {
                steps++;
                var tx = transactions[i];
                var status = receipts[b][i].Status;
                var txSlot = slot;
                slot = OrderSlots.After(slot, tx);
                switch (tx.Kind)
                {
                    case TxKind.Deposit when status == TxStatus.Accepted:
                        nextDeposit++;
                        deposits += (long)tx.Amount;
                        break;
                    case TxKind.Withdraw when status == TxStatus.Accepted:
                        withdrawn += (long)tx.Amount;
                        Put(withdrawals, StepKeys.BlockTx(blocks[b].Number, (uint)i), WithdrawalLeaf.Record(tx.Account, (long)tx.Amount, receipts[b][i].Drawn));
                        break;
                    case TxKind.CreateMarket when status == TxStatus.Accepted:
                        markets.Add(tx.Market);
                        Route(outbox, routed, tx.Market, blocks[b].Number, sequence, (uint)i, txSlot);
                        break;
                }
                if (tx.Kind is TxKind.Deposit or TxKind.Withdraw or TxKind.CreateMarket || RoutedMarket(tx, status) is null)
                {
                    receiptsHash = AccountsStepFunction.FoldReceipt(receiptsHash, sequence, status);
                    continue;
                }
                Route(outbox, routed, tx.Market, blocks[b].Number, sequence, (uint)i, txSlot);
                if (tx.Kind == TxKind.TransferMargin)
                {
                    replies.Add((tx.Market, (uint)i));
                }
            }
            steps += (ulong)replies.Count;
            block = BlockEnd.Of(routed, replies);
        }

        var end = new AccountsDomainState(endAccountsRoot, markets, nextDeposit, deposits, withdrawn);
        var last = blocks[^1];
        var endState = startState with
        {
            AccountsRoot = endAccountsRoot,
            RegistryRoot = end.RegistryRoot(),
            NextDepositIndex = nextDeposit,
            TotalDeposits = deposits,
            TotalWithdrawals = withdrawn,
            WithdrawalsRoot = withdrawals.Root,
            OutboxRoot = outbox.Root,
            ReceiptsHash = receiptsHash,
            Block = last.Number,
            FirstSequence = sequence - (ulong)last.Transactions.Length,
            TxCount = (uint)last.Transactions.Length,
            TxIndex = (uint)last.Transactions.Length,
            RepliesRoot = block.RepliesRoot,
            ReplyCount = block.Replies,
            NextReply = block.Replies,
            RoutedRoot = block.RoutedRoot,
            NextSlot = slot,
        };
        return (new DomainClaim(startState.Hash(), endState.Hash(), steps), end, endState);
    }

    /// <summary>
    /// Whether the accounts domain passed a market kind on to its market: every refusal it makes itself (signature,
    /// nonce, operator, unknown market, held funds, and for margin into a market a zero amount or too little balance) is a
    /// status no market gives.
    /// </summary>
    public static bool WasRouted(in Transaction tx, TxStatus status) => status switch
    {
        TxStatus.BadSignature or TxStatus.Replayed or TxStatus.NonceTooOld or TxStatus.NonceTooFar or TxStatus.NotOperator or TxStatus.UnknownMarket
            or TxStatus.FundsHeld or TxStatus.HeldInTooManyMarkets => false,
        TxStatus.ZeroAmount or TxStatus.InsufficientBalance => !(tx.Kind == TxKind.TransferMargin && tx.ToMarket),
        _ => true,
    };

    /// <summary>
    /// The market the accounts domain routes a transaction to, given its receipt: an accepted <c>CreateMarket</c>'s, and
    /// every other market kind's that it passed on (<see cref="WasRouted"/>); none for a deposit or a withdrawal.
    /// </summary>
    public static uint? RoutedMarket(in Transaction tx, TxStatus status) => tx.Kind switch
    {
        TxKind.Deposit or TxKind.Withdraw => null,
        TxKind.CreateMarket => status == TxStatus.Accepted ? tx.Market : null,
        _ => WasRouted(tx, status) ? tx.Market : null,
    };

    private static void Route(SparseMerkleTree outbox, SortedDictionary<uint, uint> routed, uint market, ulong block, ulong sequence, uint txIndex, uint slot)
    {
        routed.TryGetValue(market, out var j);
        Put(outbox, StepKeys.OutboxMessage(market, block, j), StepKeys.OutboxMessageRecord(sequence, txIndex, slot));
        routed[market] = j + 1;
    }

    private static void Put(SparseMerkleTree tree, in Hash256 key, byte[] record)
    {
        Span<MerkleUpdate> update = [new MerkleUpdate(key, Keccak256.Compute(record))];
        tree.Update(update);
    }

    /// <summary>What a block leaves in the block-scoped fields of the state: its routed counts and expected replies.</summary>
    private readonly record struct BlockEnd(Hash256 RoutedRoot, Hash256 RepliesRoot, uint Replies)
    {
        public static BlockEnd Of(SortedDictionary<uint, uint> routed, List<(uint Market, uint TxIndex)> replies)
        {
            var routedTree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
            foreach (var (market, count) in routed)
            {
                Put(routedTree, StepKeys.Market(market), StepKeys.U32(count));
            }
            var repliesTree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
            for (var k = 0; k < replies.Count; k++)
            {
                Put(repliesTree, StepKeys.Reply((uint)k), StepKeys.ReplyRecord(replies[k].Market, replies[k].TxIndex));
            }
            return new BlockEnd(routedTree.Root, repliesTree.Root, (uint)replies.Count);
        }
    }
}
