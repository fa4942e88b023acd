using Microsoft.Extensions.Logging;
using Rollup.Bridge.Settlement;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The challenger of one posted claim (docs/disputes.md, "Players"): opens the game with its bond and its own trace's
/// end, answers each of the defender's midpoints from its own hashes, proves the last step itself, and takes the win
/// when the defender's clock runs out. It keeps nothing between calls: every <see cref="PlayAsync"/> reads the game
/// from L1, so a challenger made anew from the same trace and key carries on where the last one stopped.
/// </summary>
public sealed partial class Challenger
{
    private readonly DisputeGameClient _game;
    private readonly DisputedClaim _claim;
    private readonly DomainTrace _trace;
    private readonly ILogger _logger;

    /// <param name="game">The game contract as the challenger's key sees it.</param>
    /// <param name="claim">The posted claim disputed, with the batch's claims.</param>
    /// <param name="trace">The challenger's own trace of the claim's domain through the batch.</param>
    public Challenger(DisputeGameClient game, DisputedClaim claim, DomainTrace trace, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.Domain != claim.Domain)
        {
            throw new ArgumentException($"the trace is {trace.Domain}'s, the claim {claim.Domain}'s", nameof(trace));
        }
        if (trace.Claim.Start != claim.Posted.Start || trace.Steps != claim.Posted.Steps)
        {
            // The game takes the start as agreed and bisects the claimed steps: it can only dispute the end.
            throw new ArgumentException(
                $"batch {claim.BatchIndex} {claim.Domain}: the posted claim starts at {claim.Posted.Start} with {claim.Posted.Steps} steps, our trace at " +
                $"{trace.Claim.Start} with {trace.Steps}; a game disputes only the end (docs/disputes.md, \"What a game does not decide\")", nameof(trace));
        }
        if (trace.Claim.End == claim.Posted.End)
        {
            throw new ArgumentException($"batch {claim.BatchIndex} {claim.Domain}: the posted end is our own, nothing to dispute", nameof(claim));
        }
        _game = game;
        _claim = claim;
        _trace = trace;
        _logger = logger;
        GameId = DisputeGameClient.GameIdAt(claim.BatchIndex, claim.Domain, game.From, claim.Version);
    }

    public Hash256 GameId { get; }

    /// <summary>Makes every move now due to the challenger (the challenge itself first) and returns once it is the defender's turn or the game has ended.</summary>
    public async Task<PlayerProgress> PlayAsync(CancellationToken cancellation = default)
    {
        var moves = 0;
        while (true)
        {
            var game = await _game.GetGameAsync(GameId, cancellation).ConfigureAwait(false);
            if (game.Status == DisputeGameStatus.None)
            {
                var (_, receipt) = await _game.ChallengeAsync(_claim.BatchIndex, _claim.Domain, _claim.Posted, _claim.Siblings, _trace.Claim.End, cancellation: cancellation).ConfigureAwait(false);
                LogChallenged(_claim.BatchIndex, _claim.Domain.ToString(), GameId.ToString(), _claim.Posted.End.ToString(), _trace.Claim.End.ToString(), receipt.GasUsed);
                moves++;
                continue;
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

    /// <summary>The one move due now, if any: false when it is the defender's turn and its clock still runs.</summary>
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
            if (challengerLeft == 0)
            {
                LogOutOfTime(GameId.ToString(), game.Lo, game.Hi);
                return false;
            }
            var m = game.MidStep;
            var ours = _trace.HashAt(m);
            var agree = ours == game.Mid;
            var receipt = await _game.AnswerAsync(GameId, agree, ours, cancellation).ConfigureAwait(false);
            LogAnswered(GameId.ToString(), m, agree, game.Mid.ToString(), ours.ToString(), receipt.GasUsed);
            return true;
        }
        if (defenderLeft == 0)
        {
            var receipt = await _game.TimeoutAsync(GameId, cancellation).ConfigureAwait(false);
            LogTimedOut(GameId.ToString(), receipt.GasUsed);
            return true;
        }
        if (game.Hi - game.Lo == 1)
        {
            if (await _game.GetAwaitedInputAsync(GameId, cancellation).ConfigureAwait(false) is { } awaited)
            {
                // The defender's clock is stopped for a claim its step reads: once that claim is Final, start it again.
                if (await _game.GetClaimStatusAsync(game.BatchIndex, awaited, cancellation).ConfigureAwait(false) != ClaimStatus.Final)
                {
                    LogAwaitedInput(GameId.ToString(), awaited.ToString());
                    return false;
                }
                var resumed = await _game.ResumeClockAsync(GameId, cancellation).ConfigureAwait(false);
                LogResumed(GameId.ToString(), awaited.ToString(), resumed.GasUsed);
                return true;
            }
            if (!_trace.CanProve(game.Lo))
            {
                // Past our trace's end: no step follows it, so the defender cannot prove one either; its clock decides.
                LogPastTheEnd(GameId.ToString(), game.Lo, defenderLeft);
                return false;
            }
            var proof = _trace.ProofOf(game.Lo, _claim.Standing);
            if (proof.Pre != game.Agreed || proof.Post == game.DefenderHash)
            {
                // Our own step does not lead from the agreed state to our state: proving it would not win. Let the defender prove or time out.
                LogCannotProve(GameId.ToString(), game.Lo, proof.Pre.ToString(), proof.Post.ToString(), game.Agreed.ToString(), game.DefenderHash.ToString());
                return false;
            }
            var input = await _game.GetStepInputAsync(GameId, proof.Bytes, cancellation).ConfigureAwait(false);
            if (!input.Ready)
            {
                // Proven only against a Final claim; the defender's clock runs meanwhile unless it stops it.
                LogInputNotFinal(GameId.ToString(), game.Lo, input.Input.ToString(), input.Status.ToString());
                return false;
            }
            var receipt = await _game.ProveAsync(GameId, proof.Bytes, cancellation).ConfigureAwait(false);
            LogProved(GameId.ToString(), game.Lo, proof.Post.ToString(), receipt.GasUsed);
            return true;
        }
        LogWaiting(GameId.ToString(), game.Lo, game.Hi, defenderLeft);
        return false;
    }

    /// <summary>A game this trace did not play (another trace, another claim) is refused before any move is made in it.</summary>
    private void CheckItIsOurs(DisputeGameState game)
    {
        if (game.ChallengerHash != _trace.HashAt(game.Hi) || game.Agreed != _trace.HashAt(game.Lo))
        {
            throw new InvalidOperationException(
                $"game {GameId} ({game.Lo}..{game.Hi}) holds agreed {game.Agreed} and challenger's {game.ChallengerHash}, our trace {_trace.HashAt(game.Lo)} and {_trace.HashAt(game.Hi)}: not this trace's game");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: batch {Batch} {Domain} challenged in game {Game}: posted end {Posted}, ours {Ours} ({Gas} gas)")]
    private partial void LogChallenged(ulong batch, string domain, string game, string posted, string ours, ulong gas);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game} at step {Step}: agree {Agree} (defender's {Theirs}, ours {Ours}) ({Gas} gas)")]
    private partial void LogAnswered(string game, ulong step, bool agree, string theirs, string ours, ulong gas);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game} step {Step} proven to {Post} ({Gas} gas)")]
    private partial void LogProved(string game, ulong step, string post, ulong gas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "challenger: game {Game} step {Step}: our step goes {Pre} -> {Post}, the game holds agreed {Agreed} and the defender's {Defender}; not proving it")]
    private partial void LogCannotProve(string game, ulong step, string pre, string post, string agreed, string defender);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game}: the defender's clock ran out, timed out ({Gas} gas)")]
    private partial void LogTimedOut(string game, ulong gas);

    [LoggerMessage(Level = LogLevel.Error, Message = "challenger: game {Game} at {Lo}..{Hi}: our clock ran out, the defender wins when it calls timeout")]
    private partial void LogOutOfTime(string game, ulong lo, ulong hi);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game}: the claim fell in another game, abandoned")]
    private partial void LogAbandoned(string game);

    [LoggerMessage(Level = LogLevel.Debug, Message = "challenger: game {Game} at {Lo}..{Hi}: the defender's turn, {Left} blocks on its clock")]
    private partial void LogWaiting(string game, ulong lo, ulong hi, ulong left);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game} ended: {Status} at {Lo}..{Hi}")]
    private partial void LogEnded(string game, string status, ulong lo, ulong hi);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game}: the defender's clock is stopped until {Input}'s claim is Final")]
    private partial void LogAwaitedInput(string game, string input);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game}: {Input}'s claim is Final, the defender's clock resumed ({Gas} gas)")]
    private partial void LogResumed(string game, string input, ulong gas);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game} step {Step} reads {Input}'s claim, {Status}: proven once it is Final")]
    private partial void LogInputNotFinal(string game, ulong step, string input, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "challenger: game {Game}: step {Step} is past our trace's end, which no step follows; waiting {Left} blocks for the defender's clock")]
    private partial void LogPastTheEnd(string game, ulong step, ulong left);
}
