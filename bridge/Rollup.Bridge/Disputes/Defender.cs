using Microsoft.Extensions.Logging;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The sequencer's side of one game against its claim (docs/disputes.md, "Players"): bisects from its own trace
/// whenever it is its turn (the first bisection posts its bond), proves the last step when its own step leads from the
/// agreed state to its hash, and takes the win when the challenger's clock runs out. Like <see cref="Challenger"/> it
/// keeps nothing between calls: every <see cref="PlayAsync"/> reads the game from L1.
/// </summary>
public sealed partial class Defender
{
    private readonly DisputeGameClient _game;
    private readonly DisputedClaim _claim;
    private readonly DomainTrace _trace;
    private readonly ILogger _logger;

    /// <param name="game">The game contract as the sequencer's key sees it.</param>
    /// <param name="gameId">The game started against the claim (<c>GameStarted</c>).</param>
    /// <param name="claim">The claim the sequencer posted, with the batch's claims.</param>
    /// <param name="trace">The sequencer's own trace of the claim's domain: the one it claimed.</param>
    public Defender(DisputeGameClient game, Hash256 gameId, DisputedClaim claim, DomainTrace trace, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.Domain != claim.Domain || trace.Claim != claim.Posted)
        {
            throw new ArgumentException($"batch {claim.BatchIndex} {claim.Domain}: the posted claim {claim.Posted} is not the trace's {trace.Domain} {trace.Claim}", nameof(trace));
        }
        _game = game;
        GameId = gameId;
        _claim = claim;
        _trace = trace;
        _logger = logger;
    }

    public Hash256 GameId { get; }

    /// <summary>Makes every move now due to the defender and returns once it is the challenger's turn or the game has ended.</summary>
    public async Task<PlayerProgress> PlayAsync(CancellationToken cancellation = default)
    {
        var moves = 0;
        while (true)
        {
            var game = await _game.GetGameAsync(GameId, cancellation).ConfigureAwait(false);
            if (game.Status == DisputeGameStatus.None)
            {
                throw new InvalidOperationException($"game {GameId} does not exist on L1");
            }
            if (game.Status != DisputeGameStatus.Open)
            {
                LogEnded(GameId.ToString(), game.Status.ToString(), game.Lo, game.Hi);
                return new PlayerProgress(GameId, game, moves);
            }
            CheckItIsOurs(game);
            if (!await MoveAsync(game, cancellation).ConfigureAwait(false))
            {
                return new PlayerProgress(GameId, game, moves);
            }
            moves++;
            var after = await _game.GetGameAsync(GameId, cancellation).ConfigureAwait(false);
            if (after == game)
            {
                throw new InvalidOperationException($"game {GameId}: a move was accepted but the game did not change (range {game.Lo}..{game.Hi}, {game.ToMove} to move)");
            }
        }
    }

    /// <summary>The one move due now, if any: false when it is the challenger's turn and its clock still runs, or the defender has nothing that wins.</summary>
    private async Task<bool> MoveAsync(DisputeGameState game, CancellationToken cancellation)
    {
        if (await _game.IsClaimFallenAsync(game.BatchIndex, _claim.Domain, cancellation).ConfigureAwait(false))
        {
            await _game.AbandonAsync(GameId, cancellation).ConfigureAwait(false);
            LogAbandoned(GameId.ToString());
            return true;
        }
        var (defenderLeft, challengerLeft) = await _game.GetClocksAsync(GameId, cancellation).ConfigureAwait(false);
        if (game.ToMove == DisputeSide.Challenger)
        {
            if (challengerLeft > 0)
            {
                LogWaiting(GameId.ToString(), game.Lo, game.Hi, challengerLeft);
                return false;
            }
            var timeout = await _game.TimeoutAsync(GameId, cancellation).ConfigureAwait(false);
            LogTimedOut(GameId.ToString(), timeout.GasUsed);
            return true;
        }
        if (defenderLeft == 0)
        {
            LogOutOfTime(GameId.ToString(), game.Lo, game.Hi);
            return false;
        }
        if (game.Hi - game.Lo > 1)
        {
            var m = game.MidStep;
            var mid = _trace.HashAt(m);
            var receipt = await _game.BisectAsync(GameId, mid, cancellation: cancellation).ConfigureAwait(false);
            LogBisected(GameId.ToString(), game.Lo, game.Hi, m, mid.ToString(), receipt.GasUsed);
            return true;
        }
        var proof = _trace.ProofOf(game.Lo, _claim.Standing);
        if (proof.Pre != game.Agreed || proof.Post != game.DefenderHash)
        {
            // The verifier would reach another state than the one claimed: the claim is wrong from this step, and
            // proving it would only hand the challenger the win sooner.
            LogCannotDefend(GameId.ToString(), game.Lo, proof.Pre.ToString(), proof.Post.ToString(), game.Agreed.ToString(), game.DefenderHash.ToString());
            return false;
        }
        var input = await _game.GetStepInputAsync(GameId, proof.Bytes, cancellation).ConfigureAwait(false);
        if (!input.Ready)
        {
            // Proven only against a Final claim: stop our clock until it is (once; the challenger or we resume it).
            if (await _game.GetAwaitedInputAsync(GameId, cancellation).ConfigureAwait(false) is null)
            {
                var awaited = await _game.AwaitInputAsync(GameId, proof.Bytes, cancellation).ConfigureAwait(false);
                LogAwaiting(GameId.ToString(), game.Lo, input.Input.ToString(), input.Status.ToString(), awaited.GasUsed);
            }
            return false;
        }
        var proved = await _game.ProveAsync(GameId, proof.Bytes, cancellation).ConfigureAwait(false);
        LogProved(GameId.ToString(), game.Lo, proof.Post.ToString(), proved.GasUsed);
        return true;
    }

    /// <summary>A game against another claim, or one this trace's hashes did not play, is refused before any move is made in it.</summary>
    private void CheckItIsOurs(DisputeGameState game)
    {
        if (game.BatchIndex != _claim.BatchIndex || game.Kind != _claim.Domain.Kind || game.Market != _claim.Domain.Market)
        {
            throw new InvalidOperationException($"game {GameId} disputes batch {game.BatchIndex} kind {game.Kind} market {game.Market}, not batch {_claim.BatchIndex} {_claim.Domain}");
        }
        if (game.DefenderHash != _trace.HashAt(game.Hi) || game.Agreed != _trace.HashAt(game.Lo))
        {
            throw new InvalidOperationException(
                $"game {GameId} ({game.Lo}..{game.Hi}) holds agreed {game.Agreed} and defender's {game.DefenderHash}, our trace {_trace.HashAt(game.Lo)} and {_trace.HashAt(game.Hi)}: not this trace's game");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "defender: game {Game} at {Lo}..{Hi}: bisected at step {Step} with {Mid} ({Gas} gas)")]
    private partial void LogBisected(string game, ulong lo, ulong hi, ulong step, string mid, ulong gas);

    [LoggerMessage(Level = LogLevel.Information, Message = "defender: game {Game} step {Step} reads {Input}'s claim, {Status}: our clock stopped until it is Final ({Gas} gas)")]
    private partial void LogAwaiting(string game, ulong step, string input, string status, ulong gas);

    [LoggerMessage(Level = LogLevel.Information, Message = "defender: game {Game} step {Step} proven to {Post} ({Gas} gas)")]
    private partial void LogProved(string game, ulong step, string post, ulong gas);

    [LoggerMessage(Level = LogLevel.Error, Message = "defender: game {Game} step {Step}: our step goes {Pre} -> {Post}, the game holds agreed {Agreed} and our claimed {Defender}; the claim cannot be defended")]
    private partial void LogCannotDefend(string game, ulong step, string pre, string post, string agreed, string defender);

    [LoggerMessage(Level = LogLevel.Information, Message = "defender: game {Game}: the challenger's clock ran out, timed out ({Gas} gas)")]
    private partial void LogTimedOut(string game, ulong gas);

    [LoggerMessage(Level = LogLevel.Error, Message = "defender: game {Game} at {Lo}..{Hi}: our clock ran out, the challenger wins when it calls timeout")]
    private partial void LogOutOfTime(string game, ulong lo, ulong hi);

    [LoggerMessage(Level = LogLevel.Information, Message = "defender: game {Game}: the claim fell in another game, abandoned")]
    private partial void LogAbandoned(string game);

    [LoggerMessage(Level = LogLevel.Debug, Message = "defender: game {Game} at {Lo}..{Hi}: the challenger's turn, {Left} blocks on its clock")]
    private partial void LogWaiting(string game, ulong lo, ulong hi, ulong left);

    [LoggerMessage(Level = LogLevel.Information, Message = "defender: game {Game} ended: {Status} at {Lo}..{Hi}")]
    private partial void LogEnded(string game, string status, ulong lo, ulong hi);
}
