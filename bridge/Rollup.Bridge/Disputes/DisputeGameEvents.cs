using Nethereum.ABI.FunctionEncoding.Attributes;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary><c>GameStarted</c> as Nethereum decodes it (its signature checked against the artifact's by the tests).</summary>
[Event("GameStarted")]
public sealed class GameStartedEvent : IEventDTO
{
    [Parameter("bytes32", "gameId", 1, true)]
    public byte[] GameId { get; set; } = [];

    [Parameter("uint64", "batchIndex", 2, true)]
    public ulong BatchIndex { get; set; }

    [Parameter("uint8", "kind", 3, false)]
    public byte Kind { get; set; }

    [Parameter("uint32", "market", 4, false)]
    public uint Market { get; set; }

    [Parameter("address", "challenger", 5, true)]
    public string Challenger { get; set; } = "";

    [Parameter("bytes32", "end", 6, false)]
    public byte[] End { get; set; } = [];

    [Parameter("bytes32", "challengerEnd", 7, false)]
    public byte[] ChallengerEnd { get; set; } = [];
}

/// <summary>One game started on L1: which claim it disputes, by whom, with which ends, in which L1 block.</summary>
public sealed record StartedGame(Hash256 GameId, ulong BatchIndex, DomainId Domain, Address Challenger, Hash256 End, Hash256 ChallengerEnd, ulong L1Block);

/// <summary><c>ClaimFell</c> as Nethereum decodes it (its signature checked against the artifact's by the tests).</summary>
[Event("ClaimFell")]
public sealed class ClaimFellEvent : IEventDTO
{
    [Parameter("uint64", "batchIndex", 1, true)]
    public ulong BatchIndex { get; set; }

    [Parameter("uint8", "kind", 2, false)]
    public byte Kind { get; set; }

    [Parameter("uint32", "market", 3, false)]
    public uint Market { get; set; }

    [Parameter("bytes32", "gameId", 4, false)]
    public byte[] GameId { get; set; } = [];
}

/// <summary>
/// A claim felled at once, with no game (<c>proveNotEnded</c>, <c>proveStartBroken</c>, <c>proveClaimMissing</c>): a <c>ClaimFell</c> log whose
/// game id is zero, in L1 block <see cref="L1Block"/> of transaction <see cref="TransactionHash"/>.
/// </summary>
public sealed record FelledClaim(ulong BatchIndex, DomainId Domain, ulong L1Block, Hash256 TransactionHash);
