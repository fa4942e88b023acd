using System.Numerics;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>The game's constructor arguments besides its settlement contract and provers (docs/disputes.md, "Roles and bonds").</summary>
public sealed record DisputeGameConfig(BigInteger ChallengerBond, BigInteger DefenderBond, ulong ClockBlocks, uint BurnPpm)
{
    public const uint Ppm = 1_000_000;

    /// <summary>What a loser's bond leaves burnt: <c>lost × burnPpm / 1,000,000</c>, rounded down.</summary>
    public BigInteger Burnt(BigInteger lost) => lost * BurnPpm / Ppm;
}

/// <summary><c>IDisputeGame.Status</c>.</summary>
public enum DisputeGameStatus : byte
{
    None,
    Open,
    DefenderWon,
    ChallengerWon,
    Abandoned,
}

/// <summary><c>IDisputeGame.Side</c>: whose move it is.</summary>
public enum DisputeSide : byte
{
    Defender,
    Challenger,
}

/// <summary><c>game(gameId)</c>: a game's whole state as stored (zeros and <see cref="DisputeGameStatus.None"/> for an unknown id).</summary>
public sealed record DisputeGameState(
    Address Challenger,
    ulong BatchIndex,
    byte Kind,
    DisputeGameStatus Status,
    bool DefenderBonded,
    DisputeSide ToMove,
    Address Defender,
    uint Market,
    ulong Lo,
    ulong Hi,
    ulong DefenderClock,
    ulong ChallengerClock,
    ulong TurnSince,
    Hash256 Agreed,
    Hash256 DefenderHash,
    Hash256 ChallengerHash,
    Hash256 Mid)
{
    /// <summary>The step index the defender's next bisection posts its state at: <c>lo + (hi − lo) / 2</c>.</summary>
    public ulong MidStep => Lo + ((Hi - Lo) / 2);
}

/// <summary>A move the game (or its prover, or the verifier behind it) refuses, with the custom error decoded by name.</summary>
public sealed class DisputeGameRevertedException : Exception
{
    public DisputeGameRevertedException(string function, RevertReason reason, Exception? innerException = null)
        : base($"{function} refused: {reason}", innerException)
    {
        Function = function;
        Reason = reason;
    }

    public DisputeGameRevertedException()
    {
        Function = "";
        Reason = RevertReason.Decode([]);
    }

    public DisputeGameRevertedException(string message)
        : base(message)
    {
        Function = "";
        Reason = RevertReason.Decode([]);
    }

    public DisputeGameRevertedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Function = "";
        Reason = RevertReason.Decode([]);
    }

    /// <summary>The game's function that was called.</summary>
    public string Function { get; }

    public RevertReason Reason { get; }

    /// <summary>The custom error's name (<c>ClockOut</c>, <c>NotYourTurn</c>, the verifier's <c>BadProof</c>, ...), null when the data is none of them.</summary>
    public string? Error => Reason.Name;
}

/// <summary>
/// What a one-step proof's step reads besides its own domain (<c>IDisputeGame.stepInput</c>): another domain's claim of
/// the batch, proven against only once <see cref="Status"/> is <see cref="ClaimStatus.Final"/>.
/// </summary>
public readonly record struct StepInput(bool Reads, DomainId Input, ClaimStatus Status)
{
    /// <summary>The step can be proven now: it reads no other claim, or a Final one.</summary>
    public bool Ready => !Reads || Status == ClaimStatus.Final;
}
