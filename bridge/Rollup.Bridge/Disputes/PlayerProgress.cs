using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// What one call of a player's <c>PlayAsync</c> left: the game as L1 holds it after the moves that were due, and how
/// many moves this call made. <see cref="Status"/> Open means it is the other side's turn (or its clock is running).
/// </summary>
public sealed record PlayerProgress(Hash256 GameId, DisputeGameState Game, int Moves)
{
    public DisputeGameStatus Status => Game.Status;

    public bool Ended => Game.Status is not (DisputeGameStatus.Open or DisputeGameStatus.None);
}
