using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Rollup.Bridge.Settlement.Abi;

// Typed return values of the settlement contract's views that return more than one value.

[FunctionOutput]
public sealed class PendingBatchDataOutput : IFunctionOutputDTO
{
    [Parameter("uint32", "parts", 1)]
    public uint Parts { get; set; }

    [Parameter("bytes32", "accumulator", 2)]
    public byte[] Accumulator { get; set; } = [];
}

/// <summary><c>queuedDeposit(i)</c> returns a struct: one tuple output.</summary>
[FunctionOutput]
public sealed class QueuedDepositOutput : IFunctionOutputDTO
{
    [Parameter("tuple", "", 1)]
    public QueuedDepositRecord Record { get; set; } = new();
}

public sealed class QueuedDepositRecord
{
    [Parameter("address", "l2Account", 1)]
    public string L2Account { get; set; } = "";

    [Parameter("uint64", "amount", 2)]
    public ulong Amount { get; set; }

    [Parameter("uint64", "l1Block", 3)]
    public ulong L1Block { get; set; }
}

/// <summary><c>batch(i)</c> returns a struct: one tuple output.</summary>
[FunctionOutput]
public sealed class BatchRecordOutput : IFunctionOutputDTO
{
    [Parameter("tuple", "", 1)]
    public BatchRecord Record { get; set; } = new();
}

public sealed class BatchRecord
{
    [Parameter("bytes32", "stateRoot", 1)]
    public byte[] StateRoot { get; set; } = [];

    [Parameter("bytes32", "withdrawalsRoot", 2)]
    public byte[] WithdrawalsRoot { get; set; } = [];

    [Parameter("bytes32", "commitmentHash", 3)]
    public byte[] CommitmentHash { get; set; } = [];

    [Parameter("uint64", "recordedAt", 4)]
    public ulong RecordedAt { get; set; }

    [Parameter("uint64", "finalAt", 5)]
    public ulong FinalAt { get; set; }

    [Parameter("uint64", "lastBlock", 6)]
    public ulong LastBlock { get; set; }

    [Parameter("uint64", "depositCursor", 7)]
    public ulong DepositCursor { get; set; }

    [Parameter("bytes32", "txRoot", 8)]
    public byte[] TxRoot { get; set; } = [];

    [Parameter("uint64", "firstSequence", 9)]
    public ulong FirstSequence { get; set; }

    [Parameter("uint64", "txCount", 10)]
    public ulong TxCount { get; set; }

    [Parameter("bytes32", "blocksRoot", 11)]
    public byte[] BlocksRoot { get; set; } = [];

    [Parameter("bytes32", "claimsRoot", 12)]
    public byte[] ClaimsRoot { get; set; } = [];
}
