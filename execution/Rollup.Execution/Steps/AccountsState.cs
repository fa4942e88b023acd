using System.Buffers.Binary;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps;

/// <summary>
/// The accounts domain's step state (docs/steps.md, "Its step state"): what one step of the domain's trace moves
/// from and to. Its hash, keccak256 of the fields as 32-byte ABI words in declaration order, is what a
/// commitment claims and a bisection compares.
/// </summary>
public readonly record struct AccountsState
{
    public const int FieldCount = 17;

    public Hash256 AccountsRoot { get; init; }

    public Hash256 RegistryRoot { get; init; }

    public ulong NextDepositIndex { get; init; }

    public long TotalDeposits { get; init; }

    public long TotalWithdrawals { get; init; }

    public Hash256 WithdrawalsRoot { get; init; }

    public Hash256 OutboxRoot { get; init; }

    public Hash256 ReceiptsHash { get; init; }

    public ulong Block { get; init; }

    public ulong FirstSequence { get; init; }

    public uint TxCount { get; init; }

    public uint TxIndex { get; init; }

    public Hash256 RepliesRoot { get; init; }

    public uint ReplyCount { get; init; }

    public uint NextReply { get; init; }

    public Hash256 RoutedRoot { get; init; }

    /// <summary>The next transaction's first order slot in the block (<see cref="Blocks.OrderSlots"/>): a bulk takes one per item.</summary>
    public uint NextSlot { get; init; }

    /// <summary>The step a state is at: a transaction of the block, a reply to take, or the next block's start.</summary>
    public AccountsStepKind NextStep =>
        TxIndex < TxCount ? AccountsStepKind.Transaction
        : NextReply < ReplyCount ? AccountsStepKind.Reply
        : AccountsStepKind.BlockStart;

    /// <summary>The state a batch's trace starts from: state-scoped fields carried over, the rest cleared.</summary>
    public AccountsState StartOfBatch(ulong firstBlock, ulong firstSequence) => new()
    {
        AccountsRoot = AccountsRoot,
        RegistryRoot = RegistryRoot,
        NextDepositIndex = NextDepositIndex,
        TotalDeposits = TotalDeposits,
        TotalWithdrawals = TotalWithdrawals,
        Block = firstBlock - 1,
        FirstSequence = firstSequence,
    };

    /// <summary>The 17 fields as ABI words, <c>abi.encode(state)</c>.</summary>
    public byte[] AbiEncode()
    {
        var words = new byte[FieldCount * 32];
        var span = words.AsSpan();
        AccountsRoot.CopyTo(span[0..]);
        RegistryRoot.CopyTo(span[32..]);
        Word(span, 2, NextDepositIndex);
        Word(span, 3, TotalDeposits);
        Word(span, 4, TotalWithdrawals);
        WithdrawalsRoot.CopyTo(span[(5 * 32)..]);
        OutboxRoot.CopyTo(span[(6 * 32)..]);
        ReceiptsHash.CopyTo(span[(7 * 32)..]);
        Word(span, 8, Block);
        Word(span, 9, FirstSequence);
        Word(span, 10, TxCount);
        Word(span, 11, TxIndex);
        RepliesRoot.CopyTo(span[(12 * 32)..]);
        Word(span, 13, ReplyCount);
        Word(span, 14, NextReply);
        RoutedRoot.CopyTo(span[(15 * 32)..]);
        Word(span, 16, NextSlot);
        return words;
    }

    public Hash256 Hash() => Keccak256.Compute(AbiEncode());

    private static void Word(Span<byte> words, int field, ulong value) =>
        BinaryPrimitives.WriteUInt64BigEndian(words[((field * 32) + 24)..], value);

    private static void Word(Span<byte> words, int field, long value)
    {
        var word = words.Slice(field * 32, 32);
        word.Fill(value < 0 ? (byte)0xFF : (byte)0);
        BinaryPrimitives.WriteInt64BigEndian(word[24..], value);
    }
}

/// <summary>The accounts domain's step kinds (docs/steps.md); which one comes next is a function of the state.</summary>
public enum AccountsStepKind : byte
{
    BlockStart = 1,
    Transaction = 2,
    Reply = 3,
}
