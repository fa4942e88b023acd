using Rollup.Bridge.Disputes;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>The bisection rounds of a game, played by two clients from their lists of state hashes.</summary>
internal static class DisputePlay
{
    /// <summary>
    /// Rounds of bisection until one step is left: the defender posts its hash at the midpoint, the challenger agrees
    /// when its own hash there is the same and otherwise posts its own. Each round's range is checked against the rule.
    /// </summary>
    public static async Task<(int Rounds, ulong Gas)> PlayAsync(
        DisputeGameClient defender, DisputeGameClient challenger, Hash256 gameId, Func<ulong, Hash256> defenderAt, Func<ulong, Hash256> challengerAt)
    {
        var rounds = 0;
        ulong gas = 0;
        var game = await defender.GetGameAsync(gameId);
        while (game.Hi - game.Lo > 1)
        {
            var m = game.MidStep;
            var (d, c) = (defenderAt(m), challengerAt(m));
            gas += (await defender.BisectAsync(gameId, d)).GasUsed;
            var bisected = await defender.GetGameAsync(gameId);
            Assert.Equal((DisputeSide.Challenger, d, game.Lo, game.Hi, true), (bisected.ToMove, bisected.Mid, bisected.Lo, bisected.Hi, bisected.DefenderBonded));
            gas += (await challenger.AnswerAsync(gameId, c == d, c)).GasUsed;
            var answered = await defender.GetGameAsync(gameId);
            Assert.Equal(c == d ? (m, game.Hi) : (game.Lo, m), (answered.Lo, answered.Hi));
            Assert.Equal(DisputeSide.Defender, answered.ToMove);
            game = answered;
            rounds++;
        }
        return (rounds, gas);
    }
}
