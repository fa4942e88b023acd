using Google.Protobuf;
using Rollup.Api;
using Rollup.Bridge.Disputes;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Disputes;

/// <summary>The node's game watch as <c>Query/ListDisputeGames</c> answers it.</summary>
public sealed class WatchedDisputeGames(GameWatch watch) : IDisputeGameLedger
{
    public P.DisputeGames List(bool openOnly)
    {
        var games = new P.DisputeGames { Watching = true };
        foreach (var game in watch.Games)
        {
            if (openOnly && game.Ended)
            {
                continue;
            }
            var (started, state) = (game.Started, game.State);
            games.Games.Add(new P.DisputeGame
            {
                GameId = ByteString.CopyFrom(started.GameId.ToArray()),
                BatchIndex = started.BatchIndex,
                Kind = started.Domain.Kind,
                Market = started.Domain.Market,
                Challenger = ByteString.CopyFrom(started.Challenger.Bytes.ToArray()),
                Defender = ByteString.CopyFrom(state.Defender.Bytes.ToArray()),
                Status = state.Status switch
                {
                    DisputeGameStatus.Open => P.DisputeGameStatus.Open,
                    DisputeGameStatus.DefenderWon => P.DisputeGameStatus.DefenderWon,
                    DisputeGameStatus.ChallengerWon => P.DisputeGameStatus.ChallengerWon,
                    DisputeGameStatus.Abandoned => P.DisputeGameStatus.Abandoned,
                    _ => P.DisputeGameStatus.Unspecified,
                },
                Lo = state.Lo,
                Hi = state.Hi,
                ToMove = state.ToMove == DisputeSide.Defender ? P.DisputeSide.Defender : P.DisputeSide.Challenger,
                PostedEnd = ByteString.CopyFrom(started.End.ToArray()),
                ChallengerEnd = ByteString.CopyFrom(started.ChallengerEnd.ToArray()),
                StartedL1Block = started.L1Block,
            });
        }
        return games;
    }
}
