using Microsoft.Extensions.Logging;
using Rollup.Bridge.Validation;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The sequencer defending its claims (docs/disputes.md, "Roles in the nodes"): each round reads the games on L1
/// (<see cref="GameWatch"/>), and for every open one whose defender is its key plays a <see cref="Defender"/> from its
/// own traces of the batch (built once a batch, kept while a game against it is open), then withdraws what it won.
/// A claim it cannot defend (its trace is not the claim it posted) is said once, loudly, and left to the clock. A claim
/// that fell, in a game or at once, it re-posts (<see cref="ClaimReposter"/>).
/// </summary>
public sealed partial class DefenseRunner
{
    private readonly GameWatch _watch;
    private readonly DisputeGameClient _game;
    private readonly IBatchSource _batches;
    private readonly IBatchTraceSource _traces;
    private readonly ILogger _logger;
    private readonly Dictionary<Hash256, Defender?> _players = [];
    private readonly Dictionary<ulong, (CommittedBatch Batch, IReadOnlyDictionary<DomainId, DomainTrace> Traces)> _batchTraces = [];
    private readonly HashSet<Hash256> _ended = [];
    private readonly FailureNotes<Hash256> _failures = new();
    private readonly ClaimReposter? _reposter;

    /// <summary>Lost games, and claims felled at once (by the transaction that felled them), whose claim is re-posted
    /// (by this node or before it started): not asked about again.</summary>
    private readonly HashSet<Hash256> _repostSettled = [];

    /// <param name="game">The game contract as the sequencer's L1 key sees it: the defender of the games started against its claims.</param>
    /// <param name="reposter">Re-posts a domain's claims after one fell (null: the settlement contract has no finality tie-in to re-post to).</param>
    public DefenseRunner(GameWatch watch, DisputeGameClient game, IBatchSource batches, IBatchTraceSource traces, ILogger logger, ClaimReposter? reposter = null)
    {
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(traces);
        _watch = watch;
        _game = game;
        _batches = batches;
        _traces = traces;
        _logger = logger;
        _reposter = reposter;
    }

    /// <summary>Moves made since the node started.</summary>
    public long MovesMade { get; private set; }

    /// <summary>Games against its claims it cannot defend (its own trace is not the claim posted).</summary>
    public int Undefendable { get; private set; }

    public Task RunAsync(TimeSpan interval, CancellationToken cancellation) =>
        DisputeRounds.RunAsync(interval, PlayRoundAsync, error => LogRoundFailed(error.GetType().Name, error.Message), cancellation);

    /// <summary>Reads the games on L1 and makes every move now due in those against this sequencer's claims.</summary>
    public async Task PlayRoundAsync(CancellationToken cancellation)
    {
        await _watch.RefreshAsync(cancellation).ConfigureAwait(false);
        var endedNow = false;
        var openBatches = new HashSet<ulong>();
        foreach (var watched in _watch.Games)
        {
            var id = watched.Started.GameId;
            if (watched.State.Defender != _game.From)
            {
                continue;
            }
            if (watched.State.Status == DisputeGameStatus.ChallengerWon && _reposter is not null && !_repostSettled.Contains(id))
            {
                // Each round until it is re-posted (or L1 no longer says the claim fell): a re-post refused now (another
                // game on the domain still open) is tried again.
                await RepostAsync(watched.Started.BatchIndex, watched.Started.Domain, id, cancellation).ConfigureAwait(false);
            }
            if (_ended.Contains(id))
            {
                continue;
            }
            if (watched.Ended)
            {
                endedNow |= _ended.Add(id);
                continue;
            }
            openBatches.Add(watched.Started.BatchIndex);
            try
            {
                endedNow |= await PlayAsync(watched.Started, cancellation).ConfigureAwait(false);
                _failures.Clear(id);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // One game that cannot be played this round (L1 away, a batch not traceable) holds up no other game.
                if (_failures.IsNew(id, error))
                {
                    LogGameFailed(id.ToString(), error.GetType().Name, error.Message);
                }
            }
        }
        if (_reposter is not null)
        {
            foreach (var felled in _watch.FelledAtOnce)
            {
                if (!_repostSettled.Contains(felled.TransactionHash))
                {
                    await RepostAsync(felled.BatchIndex, felled.Domain, felled.TransactionHash, cancellation).ConfigureAwait(false);
                }
            }
        }
        foreach (var batch in _batchTraces.Keys.ToList())
        {
            if (!openBatches.Contains(batch))
            {
                _batchTraces.Remove(batch);
            }
        }
        if (endedNow)
        {
            await BondCredits.CollectAsync(_game, _logger, cancellation).ConfigureAwait(false);
        }
    }

    /// <param name="fall">What the claim fell by: the lost game's id, or the transaction that felled it at once.</param>
    private async Task RepostAsync(ulong batchIndex, DomainId domain, Hash256 fall, CancellationToken cancellation)
    {
        try
        {
            await _reposter!.RepostIfFallenAsync(batchIndex, domain, cancellation).ConfigureAwait(false);
            _repostSettled.Add(fall);
            _failures.Clear(fall);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            if (_failures.IsNew(fall, error))
            {
                LogRepostFailed(batchIndex, domain.ToString(), error.GetType().Name, error.Message);
            }
        }
    }

    /// <summary>Every move now due in one game; true when the game ended in this call.</summary>
    private async Task<bool> PlayAsync(StartedGame started, CancellationToken cancellation)
    {
        var id = started.GameId;
        if (!_players.TryGetValue(id, out var player))
        {
            player = await DefenderOfAsync(started, cancellation).ConfigureAwait(false);
            _players[id] = player;
        }
        if (player is null)
        {
            return false;
        }
        var progress = await player.PlayAsync(cancellation).ConfigureAwait(false);
        MovesMade += progress.Moves;
        if (!progress.Ended)
        {
            return false;
        }
        LogGameOver(started.BatchIndex, started.Domain.ToString(), id.ToString(), progress.Status.ToString());
        return _ended.Add(id);
    }

    private async Task<Defender?> DefenderOfAsync(StartedGame started, CancellationToken cancellation)
    {
        if (!_batchTraces.TryGetValue(started.BatchIndex, out var known))
        {
            var committed = await _batches.GetCommittedBatchAsync(started.BatchIndex, cancellation).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"game {started.GameId} disputes batch {started.BatchIndex}, which is not on L1");
            var traces = await Task.Run(() => _traces.TracesOf(committed), cancellation).ConfigureAwait(false);
            known = (committed, traces);
            _batchTraces[started.BatchIndex] = known;
        }
        var claim = DisputedClaim.AsItStands(known.Batch, await _batches.GetRepostsAsync(cancellation).ConfigureAwait(false), started.Domain);
        if (!known.Traces.TryGetValue(started.Domain, out var trace) || trace.Claim != claim.Posted)
        {
            Undefendable++;
            LogCannotDefend(started.GameId.ToString(), started.BatchIndex, started.Domain.ToString(), claim.Posted.ToString(), trace?.Claim.ToString() ?? "none");
            return null;
        }
        LogDefending(started.GameId.ToString(), started.BatchIndex, started.Domain.ToString(), started.Challenger.ToString(), trace.Steps);
        return new Defender(_game, started.GameId, claim, trace, _logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "defender: game {Game} against batch {Batch}'s {Domain} claim by {Challenger}: defending it over {Steps} steps")]
    private partial void LogDefending(string game, ulong batch, string domain, string challenger, ulong steps);

    [LoggerMessage(Level = LogLevel.Critical, Message = "defender: game {Game}: batch {Batch}'s posted {Domain} claim {Posted} is not this node's own trace {Ours}: it cannot be defended and will fall")]
    private partial void LogCannotDefend(string game, ulong batch, string domain, string posted, string ours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "defender: batch {Batch} {Domain}: game {Game} over: {Status}")]
    private partial void LogGameOver(ulong batch, string domain, string game, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "defender: the fallen {Domain} claim of batch {Batch} could not be re-posted this round ({Error}: {Reason}); the next round tries again")]
    private partial void LogRepostFailed(ulong batch, string domain, string error, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "defender: game {Game} could not be played this round ({Error}: {Reason}); the next round tries again")]
    private partial void LogGameFailed(string game, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "defender: a round failed ({Error}: {Reason}); the next one tries again")]
    private partial void LogRoundFailed(string error, string reason);
}
