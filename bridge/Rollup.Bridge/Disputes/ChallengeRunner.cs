using Microsoft.Extensions.Logging;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The validator as a challenger (docs/disputes.md, "Roles in the nodes"): once it disagrees with a batch, it challenges
/// every claim of it the game can decide (the posted claim's start its own, the end after the posted count of steps not;
/// a count not its own is played with its trace fitted to it) and plays each game from its own traces of the batch
/// until the game ends, then withdraws what it won. Three claims it fells at once, with no game: one cut short (its end
/// our state after its steps, which a step follows) with proveNotEnded, one whose start is not where the claim before
/// ends with proveStartBroken, and one the batch owes and does not make with proveClaimMissing. A round makes every
/// move now due; after a restart the validator disagrees with the same batch again and the challengers, made anew,
/// carry on from L1 (no second challenge, no second bond).
/// </summary>
public sealed partial class ChallengeRunner
{
    private readonly DisputeGameClient _game;
    private readonly IBatchSource _batches;
    private readonly IBatchTraceSource _traces;
    private readonly Func<ValidationReport?> _disagreement;
    private readonly ILogger _logger;
    private readonly Dictionary<DomainId, Challenger> _players = [];
    private readonly Dictionary<DomainId, PlayerProgress> _progress = [];
    private readonly Dictionary<DomainId, FellAtOnce> _atOnce = [];
    private readonly FailureNotes<DomainId> _failures = new();
    private readonly Lock _lock = new();
    private ulong? _batchIndex;
    private bool _collected;

    /// <param name="game">The game contract as the challenger's key sees it (the key pays the bonds).</param>
    /// <param name="batches">L1's committed batches, the validator's source.</param>
    /// <param name="traces">This validator's traces of a batch.</param>
    /// <param name="disagreement">The validator's verdict on the batch it stopped at (<see cref="Validator.Fault"/>).</param>
    public ChallengeRunner(DisputeGameClient game, IBatchSource batches, IBatchTraceSource traces, Func<ValidationReport?> disagreement, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(disagreement);
        _game = game;
        _batches = batches;
        _traces = traces;
        _disagreement = disagreement;
        _logger = logger;
    }

    /// <summary>The games this challenger plays, as of the last round.</summary>
    public IReadOnlyList<PlayerProgress> Games
    {
        get
        {
            lock (_lock)
            {
                return [.. _progress.Values];
            }
        }
    }

    /// <summary>Moves made since the node started.</summary>
    public long MovesMade { get; private set; }

    public Task RunAsync(TimeSpan interval, CancellationToken cancellation) =>
        DisputeRounds.RunAsync(interval, PlayRoundAsync, error => LogRoundFailed(error.GetType().Name, error.Message), cancellation);

    /// <summary>Makes every move now due in every game against the disputed batch's claims (challenging first, if not yet).</summary>
    public async Task PlayRoundAsync(CancellationToken cancellation)
    {
        if (_disagreement() is not { DisputedClaims.Count: > 0 } report)
        {
            return;
        }
        if (_batchIndex != report.BatchIndex)
        {
            await PrepareAsync(report, cancellation).ConfigureAwait(false);
        }
        var open = await FellAtOnceAsync(report.BatchIndex, cancellation).ConfigureAwait(false);
        foreach (var (domain, challenger) in _players)
        {
            if (_progress.TryGetValue(domain, out var last) && last.Ended)
            {
                continue;
            }
            PlayerProgress progress;
            try
            {
                progress = await challenger.PlayAsync(cancellation).ConfigureAwait(false);
                _failures.Clear(domain);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // One game that cannot be played this round holds up none of the others.
                open++;
                if (_failures.IsNew(domain, error))
                {
                    LogGameFailed(report.BatchIndex, domain.ToString(), error.GetType().Name, error.Message);
                }
                continue;
            }
            lock (_lock)
            {
                _progress[domain] = progress;
            }
            MovesMade += progress.Moves;
            if (progress.Ended)
            {
                LogGameOver(report.BatchIndex, domain.ToString(), progress.GameId.ToString(), progress.Status.ToString());
            }
            else
            {
                open++;
            }
        }
        if (open == 0 && _players.Count > 0 && !_collected)
        {
            await BondCredits.CollectAsync(_game, _logger, cancellation).ConfigureAwait(false);
            _collected = true;
        }
    }

    /// <summary>Fells each claim shown wrong at once, dropping it once fallen; returns how many still stand (tried again next round).</summary>
    private async Task<int> FellAtOnceAsync(ulong batchIndex, CancellationToken cancellation)
    {
        var standing = 0;
        foreach (var (domain, fell) in _atOnce)
        {
            try
            {
                if (!await _game.IsClaimFallenAsync(batchIndex, domain, cancellation).ConfigureAwait(false))
                {
                    var receipt = await fell.Send(cancellation).ConfigureAwait(false);
                    MovesMade++;
                    LogFelledAtOnce(batchIndex, domain.ToString(), fell.What, receipt.GasUsed);
                }
                _atOnce.Remove(domain); // allowed while enumerating: Remove does not invalidate the enumerator
                _failures.Clear(domain);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                standing++;
                if (_failures.IsNew(domain, error))
                {
                    LogGameFailed(batchIndex, domain.ToString(), error.GetType().Name, error.Message);
                }
            }
        }
        return standing;
    }

    /// <summary>One challenger for each disputed claim a game can decide, from this validator's traces of the batch.</summary>
    private async Task PrepareAsync(ValidationReport report, CancellationToken cancellation)
    {
        var committed = await _batches.GetCommittedBatchAsync(report.BatchIndex, cancellation).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"batch {report.BatchIndex}, which this validator disagrees with, is not on L1 (any more)");
        var traces = await Task.Run(() => _traces.TracesOf(committed), cancellation).ConfigureAwait(false);
        var reposts = await _batches.GetRepostsAsync(cancellation).ConfigureAwait(false);
        var players = new Dictionary<DomainId, Challenger>();
        var atOnce = new Dictionary<DomainId, FellAtOnce>();
        BatchBefore? before = null;
        foreach (var disputed in report.DisputedClaims)
        {
            var domain = disputed.Domain.ToString();
            if (disputed is { Posted: null, Ours: not null, Domain.Kind: DomainId.MarketKind })
            {
                // A market every batch must claim (registered at its end) and this one does not: felled at once.
                var market = disputed.Domain.Market;
                var (missing, why) = MissingClaimProof.Of(
                    StandingClaims.Of(report.BatchIndex, committed.Claims, reposts), market, traces.TryGetValue(DomainId.Accounts, out var accounts) ? accounts : null);
                if (missing is null)
                {
                    LogNotPlayable(report.BatchIndex, domain, $"the batch posts no claim of it, and {why}");
                    continue;
                }
                atOnce[disputed.Domain] = new FellAtOnce(
                    "the claim the batch owes (the market is registered at its end) and does not make",
                    token => _game.ProveClaimMissingAsync(report.BatchIndex, market, missing, token));
                LogClaimMissing(report.BatchIndex, domain);
                continue;
            }
            if (Unplayable(disputed) is { } reason)
            {
                LogNotPlayable(report.BatchIndex, domain, reason);
                continue;
            }
            if (!traces.TryGetValue(disputed.Domain, out var trace) || trace.Claim != disputed.Ours)
            {
                LogTraceDiffers(report.BatchIndex, domain, disputed.Ours!.Value.ToString(), trace?.Claim.ToString() ?? "none");
                continue;
            }
            var claim = DisputedClaim.AsItStands(committed, reposts, disputed.Domain);
            var posted = claim.Posted;
            if (posted.Start != trace.Claim.Start)
            {
                // A game takes the start as agreed: a start not ours is shown broken against the claim before (for batch
                // 0, the empty genesis every node starts from), at once.
                if (report.BatchIndex > 0)
                {
                    before ??= await BatchBeforeAsync(report.BatchIndex - 1, reposts, cancellation).ConfigureAwait(false);
                }
                var (previous, why) = before is null ? (PreviousClaim.None, null) : PreviousClaim.Of(before.Claims, disputed.Domain, before.Traces);
                if (previous is null)
                {
                    LogNotPlayable(report.BatchIndex, domain, $"the posted claim starts at {posted.Start}, ours at {trace.Claim.Start}, but {why}");
                    continue;
                }
                var where = before is null ? "the empty genesis's start" : "where the batch before's claim ends";
                atOnce[disputed.Domain] = new FellAtOnce(
                    $"the claim starting at {posted.Start}, not {where} ({trace.Claim.Start}),",
                    token => _game.ProveStartBrokenAsync(claim, previous, token));
                LogStartBroken(report.BatchIndex, domain, posted.Start.ToString(), trace.Claim.Start.ToString());
                continue;
            }
            if (posted.Steps < trace.Steps && trace.HashAt(posted.Steps) == posted.End)
            {
                atOnce[disputed.Domain] = new FellAtOnce(
                    $"the claim cut short at {posted.Steps} of our {trace.Steps} steps",
                    token => _game.ProveNotEndedAsync(claim, trace.ProofOf(posted.Steps, claim.Standing).Bytes, token));
                LogCutShort(report.BatchIndex, domain, posted.Steps, trace.Steps);
                continue;
            }
            var fitted = trace.Fitted(posted.Steps);
            if (fitted.Claim.End == posted.End)
            {
                LogNotPlayable(report.BatchIndex, domain, $"the posted claim ends in our trace's end after {posted.Steps} steps, ours {trace.Steps}: its end is right, only its count is not");
                continue;
            }
            players[disputed.Domain] = new Challenger(_game, claim, fitted, _logger);
            LogDisputing(report.BatchIndex, domain, posted.End.ToString(), fitted.Claim.End.ToString(), posted.Steps);
        }
        _players.Clear();
        foreach (var (domain, player) in players)
        {
            _players[domain] = player;
        }
        _atOnce.Clear();
        foreach (var (domain, entry) in atOnce)
        {
            _atOnce[domain] = entry;
        }
        lock (_lock)
        {
            _progress.Clear();
        }
        _batchIndex = report.BatchIndex;
        _collected = false;
    }

    /// <summary>The batch before the disputed one: its claims as they stand and this validator's traces of it (a re-execution).</summary>
    private async Task<BatchBefore> BatchBeforeAsync(ulong batchIndex, IReadOnlyList<RepostedClaims> reposts, CancellationToken cancellation)
    {
        var committed = await _batches.GetCommittedBatchAsync(batchIndex, cancellation).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"batch {batchIndex}, the one before the disputed batch, is not on L1");
        var traces = await Task.Run(() => _traces.TracesOf(committed), cancellation).ConfigureAwait(false);
        return new BatchBefore(StandingClaims.Of(batchIndex, committed.Claims, reposts), traces);
    }

    private sealed record BatchBefore(StandingClaims Claims, IReadOnlyDictionary<DomainId, DomainTrace> Traces);

    /// <summary>A claim this challenger fells with no game: what it is (for the log) and the transaction that fells it.</summary>
    private sealed record FellAtOnce(string What, Func<CancellationToken, Task<L1Receipt>> Send);

    /// <summary>Why a game cannot decide this disagreement (docs/disputes.md, "What a game does not decide"), or null when it can.</summary>
    private static string? Unplayable(ClaimDisagreement d) => (d.Posted, d.Ours) switch
    {
        (null, _) => "the batch posts no claim of it",
        (_, null) => "this validator makes no claim of it",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "challenger: batch {Batch} {Domain}: challenging the posted end {Posted} with ours {Ours} after {Steps} steps")]
    private partial void LogDisputing(ulong batch, string domain, string posted, string ours, ulong steps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "challenger: batch {Batch} {Domain}: the posted claim stops after {Steps} steps in our state there, our trace goes on to {Ours}: proving a step from its end")]
    private partial void LogCutShort(ulong batch, string domain, ulong steps, ulong ours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "challenger: batch {Batch} {Domain}: the posted claim starts at {Posted}, ours at {Ours}: showing its start broken")]
    private partial void LogStartBroken(ulong batch, string domain, string posted, string ours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "challenger: batch {Batch} {Domain}: the batch makes no claim of this registered market: showing the claim missing")]
    private partial void LogClaimMissing(ulong batch, string domain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "challenger: batch {Batch} {Domain}: {What} fell ({Gas} gas)")]
    private partial void LogFelledAtOnce(ulong batch, string domain, string what, ulong gas);

    [LoggerMessage(Level = LogLevel.Error, Message = "challenger: batch {Batch} {Domain}: the disagreement cannot be played: {Reason}")]
    private partial void LogNotPlayable(ulong batch, string domain, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "challenger: batch {Batch} {Domain}: our claim {Claim} is not our trace's {Trace}; not challenging")]
    private partial void LogTraceDiffers(ulong batch, string domain, string claim, string trace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "challenger: batch {Batch} {Domain}: game {Game} over: {Status}")]
    private partial void LogGameOver(ulong batch, string domain, string game, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "challenger: batch {Batch} {Domain}: the game could not be played this round ({Error}: {Reason}); the next round tries again")]
    private partial void LogGameFailed(ulong batch, string domain, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "challenger: a round failed ({Error}: {Reason}); the next one tries again")]
    private partial void LogRoundFailed(string error, string reason);
}
