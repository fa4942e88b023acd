using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Rollup.Bridge.Settlement.Abi;

// Typed calls the validator reads back out of L1 transactions (FunctionMessage decoding of their input).

[Function("postBatchData")]
public sealed class PostBatchDataFunction : FunctionMessage
{
    [Parameter("uint64", "batchIndex", 1)]
    public ulong BatchIndex { get; set; }

    [Parameter("uint32", "part", 2)]
    public uint Part { get; set; }

    [Parameter("bytes", "data", 3)]
    public byte[] Data { get; set; } = [];
}

[Function("commitBatch")]
public sealed class CommitBatchFunction : FunctionMessage
{
    [Parameter("tuple", "c", 1)]
    public BatchCommitmentTuple Commitment { get; set; } = new();

    [Parameter("tuple[]", "claims", 2)]
    public List<DomainClaimTuple> Claims { get; set; } = [];
}

public sealed class DomainClaimTuple
{
    [Parameter("uint8", "kind", 1)]
    public byte Kind { get; set; }

    [Parameter("uint32", "market", 2)]
    public uint Market { get; set; }

    [Parameter("bytes32", "start", 3)]
    public byte[] Start { get; set; } = [];

    [Parameter("bytes32", "end", 4)]
    public byte[] End { get; set; } = [];

    [Parameter("uint64", "steps", 5)]
    public ulong Steps { get; set; }
}

public sealed class BatchCommitmentTuple
{
    [Parameter("uint64", "batchIndex", 1)]
    public ulong BatchIndex { get; set; }

    [Parameter("uint64", "firstBlock", 2)]
    public ulong FirstBlock { get; set; }

    [Parameter("uint64", "lastBlock", 3)]
    public ulong LastBlock { get; set; }

    [Parameter("bytes32", "batchDataHash", 4)]
    public byte[] BatchDataHash { get; set; } = [];

    [Parameter("bytes32", "prevStateRoot", 5)]
    public byte[] PrevStateRoot { get; set; } = [];

    [Parameter("bytes32", "newStateRoot", 6)]
    public byte[] NewStateRoot { get; set; } = [];

    [Parameter("bytes32", "marketRootsRoot", 7)]
    public byte[] MarketRootsRoot { get; set; } = [];

    [Parameter("bytes32", "withdrawalsRoot", 8)]
    public byte[] WithdrawalsRoot { get; set; } = [];

    [Parameter("uint64", "depositCursor", 9)]
    public ulong DepositCursor { get; set; }

    [Parameter("uint64", "firstSequence", 10)]
    public ulong FirstSequence { get; set; }

    [Parameter("uint64", "txCount", 11)]
    public ulong TxCount { get; set; }

    [Parameter("bytes32", "txRoot", 12)]
    public byte[] TxRoot { get; set; } = [];

    [Parameter("bytes32", "blocksRoot", 13)]
    public byte[] BlocksRoot { get; set; } = [];

    [Parameter("bytes32", "claimsRoot", 14)]
    public byte[] ClaimsRoot { get; set; } = [];
}

[Function("repostClaims")]
public sealed class RepostClaimsFunction : FunctionMessage
{
    [Parameter("uint8", "kind", 1)]
    public byte Kind { get; set; }

    [Parameter("uint32", "market", 2)]
    public uint Market { get; set; }

    [Parameter("uint64", "fromBatch", 3)]
    public ulong FromBatch { get; set; }

    [Parameter("tuple", "replaced", 4)]
    public ReplacedClaimTuple Replaced { get; set; } = new();

    [Parameter("tuple[]", "claims", 5)]
    public List<RepostedClaimTuple> Claims { get; set; } = [];
}

public sealed class ReplacedClaimTuple
{
    [Parameter("bytes32", "end", 1)]
    public byte[] End { get; set; } = [];

    [Parameter("uint64", "steps", 2)]
    public ulong Steps { get; set; }

    [Parameter("bytes32[]", "siblings", 3)]
    public List<byte[]> Siblings { get; set; } = [];
}

public sealed class RepostedClaimTuple
{
    [Parameter("bytes32", "start", 1)]
    public byte[] Start { get; set; } = [];

    [Parameter("bytes32", "end", 2)]
    public byte[] End { get; set; } = [];

    [Parameter("uint64", "steps", 3)]
    public ulong Steps { get; set; }
}
