using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Rollup.Bridge.Settlement.Abi;

// Typed forms of the settlement contract's events, decoded by Nethereum. ContractTypesTests checks that each
// one's signature is the compiled artifact's.

[Event("DepositQueued")]
public sealed class DepositQueuedEvent : IEventDTO
{
    [Parameter("uint64", "index", 1, true)]
    public ulong Index { get; set; }

    [Parameter("address", "l2Account", 2, true)]
    public string L2Account { get; set; } = "";

    [Parameter("address", "from", 3, true)]
    public string From { get; set; } = "";

    [Parameter("uint64", "amount", 4, false)]
    public ulong Amount { get; set; }

    [Parameter("uint64", "l1Block", 5, false)]
    public ulong L1Block { get; set; }
}

[Event("BatchDataPosted")]
public sealed class BatchDataPostedEvent : IEventDTO
{
    [Parameter("uint64", "batchIndex", 1, true)]
    public ulong BatchIndex { get; set; }

    [Parameter("uint32", "part", 2, false)]
    public uint Part { get; set; }

    [Parameter("bytes32", "partHash", 3, false)]
    public byte[] PartHash { get; set; } = [];

    [Parameter("bytes32", "accumulator", 4, false)]
    public byte[] Accumulator { get; set; } = [];
}

[Event("BatchCommitted")]
public sealed class BatchCommittedEvent : IEventDTO
{
    [Parameter("uint64", "batchIndex", 1, true)]
    public ulong BatchIndex { get; set; }

    [Parameter("bytes32", "commitmentHash", 2, false)]
    public byte[] CommitmentHash { get; set; } = [];

    [Parameter("bytes32", "newStateRoot", 3, false)]
    public byte[] NewStateRoot { get; set; } = [];

    [Parameter("bytes32", "withdrawalsRoot", 4, false)]
    public byte[] WithdrawalsRoot { get; set; } = [];

    [Parameter("uint64", "depositCursor", 5, false)]
    public ulong DepositCursor { get; set; }

    [Parameter("uint64", "firstBlock", 6, false)]
    public ulong FirstBlock { get; set; }

    [Parameter("uint64", "lastBlock", 7, false)]
    public ulong LastBlock { get; set; }

    [Parameter("uint64", "firstSequence", 8, false)]
    public ulong FirstSequence { get; set; }

    [Parameter("uint64", "txCount", 9, false)]
    public ulong TxCount { get; set; }

    [Parameter("bytes32", "txRoot", 10, false)]
    public byte[] TxRoot { get; set; } = [];

    [Parameter("bytes32", "blocksRoot", 11, false)]
    public byte[] BlocksRoot { get; set; } = [];

    [Parameter("bytes32", "claimsRoot", 12, false)]
    public byte[] ClaimsRoot { get; set; } = [];
}
