using Microsoft.Extensions.Logging;
using Rollup.Bridge.L1;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// Every game on L1 and its state as of the last round: the games a watcher reports (<c>/metrics</c>), and the ones a
/// defender looks through for those against its claims; and the claims felled at once, with no game (a defender
/// re-posts them as it does a lost game's). Keeps nothing on disk: after a restart it reads the <c>GameStarted</c> and
/// <c>ClaimFell</c> logs again from the game contract's deployment block.
/// </summary>
public sealed partial class GameWatch
{
    private readonly L1Client _l1;
    private readonly DisputeGameClient _game;
    private readonly ILogger _logger;
    private readonly Dictionary<Hash256, WatchedGame> _games = [];
    private readonly List<FelledClaim> _felled = [];
    private readonly Lock _lock = new();
    private ulong _nextBlock;

    /// <param name="fromBlock">The first L1 block to read <c>GameStarted</c> logs from: the game contract's deployment.</param>
    public GameWatch(L1Client l1, DisputeGameClient game, ulong fromBlock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(l1);
        ArgumentNullException.ThrowIfNull(game);
        _l1 = l1;
        _game = game;
        _nextBlock = fromBlock;
        _logger = logger;
    }

    /// <summary>Every game seen, with its state as of the last round, in the order they started.</summary>
    public IReadOnlyList<WatchedGame> Games
    {
        get
        {
            lock (_lock)
            {
                return [.. _games.Values.OrderBy(g => g.Started.L1Block)];
            }
        }
    }

    /// <summary>Every claim felled at once (no game) seen, in L1 order.</summary>
    public IReadOnlyList<FelledClaim> FelledAtOnce
    {
        get
        {
            lock (_lock)
            {
                return [.. _felled];
            }
        }
    }

    /// <summary>A watcher's loop: a round every <paramref name="interval"/>; a failed round (L1 away) is said once and tried again.</summary>
    public Task RunAsync(TimeSpan interval, CancellationToken cancellation) =>
        DisputeRounds.RunAsync(interval, RefreshAsync, error => LogRoundFailed(error.GetType().Name, error.Message), cancellation);

    /// <summary>Reads the games started since the last round and the state of every game not yet ended.</summary>
    public async Task RefreshAsync(CancellationToken cancellation)
    {
        var head = await _l1.GetBlockNumberAsync(cancellation).ConfigureAwait(false);
        if (head >= _nextBlock)
        {
            foreach (var started in await _game.GetGamesStartedAsync(_nextBlock, head, cancellation).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    if (_games.ContainsKey(started.GameId))
                    {
                        continue;
                    }
                }
                var state = await _game.GetGameAsync(started.GameId, cancellation).ConfigureAwait(false);
                var watched = new WatchedGame(started, state, await AwaitedInputAsync(started.GameId, state, cancellation).ConfigureAwait(false));
                lock (_lock)
                {
                    _games[started.GameId] = watched;
                }
                LogStarted(started.GameId.ToString(), started.BatchIndex, started.Domain.ToString(), started.Challenger.ToString(), started.End.ToString(), started.ChallengerEnd.ToString());
                // A game first seen already over (a watch started late, or after a restart) is said to be over too.
                if (watched.Ended)
                {
                    LogEnded(started.GameId.ToString(), started.BatchIndex, started.Domain.ToString(), state.Status.ToString(), state.Lo, state.Hi);
                }
                else if (watched.AwaitedInput is { } input)
                {
                    LogAwaiting(started.GameId.ToString(), state.Lo, state.Hi, input.ToString(), started.BatchIndex);
                }
            }
            foreach (var felled in await _game.GetClaimsFelledAtOnceAsync(_nextBlock, head, cancellation).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    _felled.Add(felled);
                }
                LogFelled(felled.BatchIndex, felled.Domain.ToString(), felled.TransactionHash.ToString());
            }
            _nextBlock = head + 1;
        }
        foreach (var game in Games)
        {
            if (game.Ended)
            {
                continue;
            }
            var state = await _game.GetGameAsync(game.Started.GameId, cancellation).ConfigureAwait(false);
            if (state == game.State)
            {
                continue;
            }
            var awaited = await AwaitedInputAsync(game.Started.GameId, state, cancellation).ConfigureAwait(false);
            var moved = game with { State = state, AwaitedInput = awaited };
            lock (_lock)
            {
                _games[game.Started.GameId] = moved;
            }
            if (moved.Ended)
            {
                LogEnded(game.Started.GameId.ToString(), game.Started.BatchIndex, game.Started.Domain.ToString(), state.Status.ToString(), state.Lo, state.Hi);
            }
            else if (awaited is { } input)
            {
                LogAwaiting(game.Started.GameId.ToString(), state.Lo, state.Hi, input.ToString(), game.Started.BatchIndex);
            }
            else
            {
                LogMoved(game.Started.GameId.ToString(), state.Lo, state.Hi, state.ToMove.ToString());
            }
        }
    }

    /// <summary>At one step left the defender may have stopped its clock for a claim its step reads (<c>awaitInput</c>).</summary>
    private async Task<DomainId?> AwaitedInputAsync(Hash256 gameId, DisputeGameState state, CancellationToken cancellation) =>
        state.Status == DisputeGameStatus.Open && state.Hi - state.Lo == 1
            ? await _game.GetAwaitedInputAsync(gameId, cancellation).ConfigureAwait(false)
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "dispute: reading the games failed ({Error}: {Reason}); the next round tries again")]
    private partial void LogRoundFailed(string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dispute: game {Game} started against batch {Batch}'s {Domain} claim by {Challenger}: posted end {End}, the challenger's {ChallengerEnd}")]
    private partial void LogStarted(string game, ulong batch, string domain, string challenger, string end, string challengerEnd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dispute: batch {Batch}'s {Domain} claim was felled at once, with no game (transaction {Transaction})")]
    private partial void LogFelled(ulong batch, string domain, string transaction);

    [LoggerMessage(Level = LogLevel.Information, Message = "dispute: game {Game} at {Lo}..{Hi}, {Side} to move")]
    private partial void LogMoved(string game, ulong lo, ulong hi, string side);

    [LoggerMessage(Level = LogLevel.Information, Message = "dispute: game {Game} at {Lo}..{Hi}: the defender's clock is stopped until {Input}'s claim of batch {Batch}, which the step reads, is Final")]
    private partial void LogAwaiting(string game, ulong lo, ulong hi, string input, ulong batch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dispute: game {Game} against batch {Batch}'s {Domain} claim ended: {Status} at {Lo}..{Hi}")]
    private partial void LogEnded(string game, ulong batch, string domain, string status, ulong lo, ulong hi);
}

/// <summary>A game as a watcher last saw it; <see cref="AwaitedInput"/>: the claim the defender's clock is stopped for, if it is.</summary>
public sealed record WatchedGame(StartedGame Started, DisputeGameState State, DomainId? AwaitedInput = null)
{
    public bool Ended => State.Status is not (DisputeGameStatus.Open or DisputeGameStatus.None);
}
