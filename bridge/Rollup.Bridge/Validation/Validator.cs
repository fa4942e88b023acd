using System.Globalization;
using Microsoft.Extensions.Logging;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Posting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Bridge.Validation;

/// <summary>
/// Rebuilds the L2 from L1 alone: takes each committed batch in order, checks its data against the
/// commitment, its deposits against the L1 queue, executes its blocks with signatures verified, and compares
/// every root the commitment names with its own, its transaction root, sequence range, blocks root and domain claims included. A
/// disagreement a game decides (a domain claim) or data that cannot be executed is reported with the markets whose roots differ,
/// and the validator stops there (keeping its own state, which it goes on serving). A commitment field no game decides (its state
/// roots, transaction and blocks roots, counts) that is not its own is said at Critical and counted, and validation goes on:
/// stopping there would let a sequencer halt validation, and the challenges of every later batch, at no risk
/// (docs/disputes.md, "What a game does not decide").
/// </summary>
public sealed partial class Validator
{
    private readonly IBatchSource _source;
    private readonly IBlockExecutor _executor;
    private readonly ValidatorOptions _options;
    private readonly ILogger _logger;
    private readonly Logging.PeriodicSummary _agreedSummary = new(Logging.PeriodicSummary.DefaultInterval);

    /// <summary>Where the last batch this validator agreed with ended in the sequencer's log; null until known after a restart.</summary>
    private ulong? _nextSequence;

    /// <summary>The re-posts L1 held when the fault was found: a new one is what makes the faulted batch worth checking again.</summary>
    private int _repostsAtFault = -1;

    public Validator(IBatchSource source, IBlockExecutor executor, ValidatorOptions options, ILogger logger)
    {
        _source = source;
        _executor = executor;
        _options = options;
        _logger = logger;
        NextBatchIndex = LoadProgress(options.ProgressFile);
    }

    public ulong NextBatchIndex { get; private set; }

    /// <summary>The first disagreement found, after which the validator checks nothing more.</summary>
    public ValidationReport? Fault { get; private set; }

    public long BatchesAgreed { get; private set; }

    /// <summary>Batches agreed with whose commitment named fields no game decides that are not this validator's.</summary>
    public long BatchesUndecided { get; private set; }

    /// <summary>The latest of those, with what differed; null if there has been none.</summary>
    public ValidationReport? LastUndecided { get; private set; }

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(_options.PollInterval);
        do
        {
            try
            {
                if (Fault is not null)
                {
                    await RecheckFaultAsync(cancellation).ConfigureAwait(false);
                }
                await CatchUpAsync(cancellation).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogRoundFailed(error.GetType().Name, error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
    }

    /// <summary>
    /// The batch this validator disagreed with, checked again once L1 holds a re-post it has not seen (a fallen claim
    /// replaced, docs/disputes.md, "Finality"): if the batch's claims are now its own, the fault clears and validation
    /// goes on from the next batch. True when it cleared.
    /// </summary>
    public async Task<bool> RecheckFaultAsync(CancellationToken cancellation)
    {
        if (Fault is not { } fault)
        {
            return false;
        }
        var reposts = (await _source.GetRepostsAsync(cancellation).ConfigureAwait(false)).Count;
        var before = _repostsAtFault;
        _repostsAtFault = reposts;
        if (before < 0 || reposts == before)
        {
            // No re-post since the fault (or the fault was found with the claims agreeing as committed, none read then:
            // this count is the baseline a later re-post is seen against).
            return false;
        }
        var committed = await _source.GetCommittedBatchAsync(fault.BatchIndex, cancellation).ConfigureAwait(false);
        if (committed is null)
        {
            return false;
        }
        var report = await CheckAsync(committed, cancellation).ConfigureAwait(false);
        if (!report.Agrees)
        {
            Fault = report;
            LogStillDisagrees(report.BatchIndex, string.Join("; ", report.Mismatches));
            return false;
        }
        Fault = null;
        LogFaultCleared(report.BatchIndex, reposts);
        Agree(committed, report);
        return true;
    }

    /// <summary>Checks the next committed batch; null when L1 has none yet (or a fault stopped the validator).</summary>
    public async Task<ValidationReport?> ValidateNextAsync(CancellationToken cancellation)
    {
        if (Fault is not null)
        {
            return null;
        }
        var committed = await _source.GetCommittedBatchAsync(NextBatchIndex, cancellation).ConfigureAwait(false);
        if (committed is null)
        {
            return null;
        }
        var report = await CheckAsync(committed, cancellation).ConfigureAwait(false);
        if ((!report.Agrees || report.Undecided.Count > 0) && await UnwindReorganisedAsync(cancellation).ConfigureAwait(false))
        {
            return null; // the batch followed one that L1 reorganised away: not a disagreement, the next round checks again
        }
        if (report.Agrees)
        {
            Agree(committed, report);
        }
        else
        {
            Fault = report;
            _repostsAtFault = report.RepostsSeen;
            LogMismatch(report.BatchIndex, string.Join("; ", report.Mismatches), string.Join(",", report.FaultyMarkets));
        }
        return report;
    }

    private void Agree(CommittedBatch committed, ValidationReport report)
    {
        _nextSequence = committed.Commitment.FirstSequence + committed.Commitment.TxCount;
        RememberAgreed(committed.Commitment);
        BatchesAgreed++;
        NextBatchIndex++;
        SaveProgress(_options.ProgressFile, NextBatchIndex);
        LogAgreed(report.BatchIndex, report.FirstBlock, report.LastBlock, committed.Commitment.NewStateRoot.ToString());
        foreach (var claim in report.Tolerated)
        {
            LogTolerated(report.BatchIndex, claim);
        }
        if (report.Undecided.Count > 0)
        {
            BatchesUndecided++;
            LastUndecided = report;
            LogUndecided(report.BatchIndex, string.Join("; ", report.Undecided), string.Join(",", report.FaultyMarkets));
        }
        if (_agreedSummary.Count() is var agreed and > 0)
        {
            LogAgreedSummary(agreed, report.BatchIndex, report.LastBlock, committed.Commitment.NewStateRoot.ToString());
        }
    }

    private async Task<ValidationReport> CheckAsync(CommittedBatch committed, CancellationToken cancellation)
    {
        var c = committed.Commitment;
        var mismatches = new List<string>();
        var faulty = new SortedSet<uint>();
        var disputed = new List<ClaimDisagreement>();
        var tolerated = new List<string>();
        var undecided = new List<string>();
        var reposts = -1;
        ValidationReport Report() => new(c.BatchIndex, c.FirstBlock, c.LastBlock, mismatches, [.. faulty])
        {
            DisputedClaims = disputed, RepostsSeen = reposts, Tolerated = tolerated, Undecided = undecided,
        };

        if (BatchParts.DataHash(committed.Parts) != c.BatchDataHash)
        {
            mismatches.Add($"the posted parts hash to {BatchParts.DataHash(committed.Parts)}, the commitment says {c.BatchDataHash}");
            return Report();
        }
        L2Batch batch;
        try
        {
            batch = BatchFrame.Decode(BatchParts.Join(committed.Parts, _options.Limits), _options.Limits);
        }
        catch (BatchFormatException error)
        {
            mismatches.Add($"the batch data cannot be decoded: {error.Message}");
            return Report();
        }
        if (batch.FirstBlock != c.FirstBlock || batch.LastBlock != c.LastBlock)
        {
            mismatches.Add($"the data holds blocks {batch.FirstBlock}..{batch.LastBlock}, the commitment says {c.FirstBlock}..{c.LastBlock}");
            return Report();
        }
        var head = _executor.Head.BlockNumber;
        if (c.FirstBlock > head + 1)
        {
            mismatches.Add($"the batch starts at block {c.FirstBlock} but this validator is at block {head}");
            return Report();
        }
        var before = c.FirstBlock == 1 ? BatchPoster.GenesisStateRoot : _executor.GetBlock(c.FirstBlock - 1)!.StateRoot;
        Compare("previous state root", before, c.PrevStateRoot, undecided);
        var firstSequence = await ExpectedFirstSequenceAsync(cancellation).ConfigureAwait(false);
        await CheckDepositsAsync(batch, mismatches, cancellation).ConfigureAwait(false);
        if (mismatches.Count > 0)
        {
            return Report();
        }

        // Where the batch's accounts claim starts: this validator's own state after the block before the batch (rewound
        // from its head if it executed some of the batch's blocks before a restart).
        var accountsStart = _executor.AccountsDomainStateAfter(c.FirstBlock - 1);
        foreach (var block in batch.Blocks)
        {
            if (block.Number > head)
            {
                _executor.Execute(block);
            }
        }
        // Where its market claims start: replayed up to the block before the batch from the blocks now in the store.
        var marketStart = _executor.MarketTreesAfter(c.FirstBlock - 1);
        var records = new List<BlockRecord>(batch.Blocks.Count);
        for (var number = c.FirstBlock; number <= c.LastBlock; number++)
        {
            records.Add(_executor.GetBlock(number) ?? throw new InvalidDataException($"block {number} missing from the validator's store"));
        }
        var last = records[^1];
        // The commitment's own fields: no game decides them (a withdrawal is paid by the accounts claim's end, a step is
        // proven against txRoot and blocksRoot as committed), so they are said, not stopped at.
        Compare("state root", last.StateRoot, c.NewStateRoot, undecided);
        Compare("market-roots root", last.MarketsRoot, c.MarketRootsRoot, undecided);
        Compare("withdrawals root", ExecutionEngine.WithdrawalsRoot(BlockWithdrawals.Of(records)), c.WithdrawalsRoot, undecided);
        if (last.NextDepositIndex != c.DepositCursor)
        {
            undecided.Add($"deposit cursor: ours {last.NextDepositIndex}, committed {c.DepositCursor}");
        }
        CompareTransactions(batch, firstSequence, c, undecided);
        var ours = BatchClaims.Of(accountsStart, marketStart, firstSequence, records);
        if (BatchClaimsRoot.Compute(ours) != c.ClaimsRoot)
        {
            // Not the claims committed: some may have fallen and been re-posted since (the latest re-post of a domain is its claim).
            var all = await _source.GetRepostsAsync(cancellation).ConfigureAwait(false);
            reposts = all.Count;
            CompareClaims(ours, EffectiveClaims(committed, all), mismatches, disputed, tolerated);
            foreach (var claim in disputed)
            {
                if (claim.Domain.Kind == DomainId.MarketKind)
                {
                    faulty.Add(claim.Domain.Market);
                }
            }
        }
        if (last.MarketsRoot != c.MarketRootsRoot)
        {
            NameMarkets(records, batch.MarketRoots, undecided, faulty);
        }
        return Report();
    }

    /// <summary>
    /// The sequence number the next batch must start at: 0 for batch 0, else the end of the last batch this validator
    /// agreed with. After a restart that is read back from that batch's commitment, whose range it checked against its
    /// own count before agreeing.
    /// </summary>
    private async Task<ulong> ExpectedFirstSequenceAsync(CancellationToken cancellation)
    {
        if (_nextSequence is { } known)
        {
            return known;
        }
        if (NextBatchIndex == 0)
        {
            return 0;
        }
        var previous = await _source.GetCommittedBatchAsync(NextBatchIndex - 1, cancellation).ConfigureAwait(false)
            ?? throw new InvalidDataException($"batch {NextBatchIndex - 1}, which this validator agreed with, is not on L1 (any more)");
        _nextSequence = previous.Commitment.FirstSequence + previous.Commitment.TxCount;
        return _nextSequence.Value;
    }

    /// <summary>
    /// The batch's transactions and block headers as L1 carries them, numbered from where the previous batch ended, against the
    /// commitment's claim. Each header holds its block's first sequence, so a wrong first sequence also shows in the blocks root.
    /// </summary>
    private static void CompareTransactions(L2Batch batch, ulong firstSequence, BatchCommitment c, List<string> mismatches)
    {
        if (firstSequence != c.FirstSequence)
        {
            mismatches.Add($"first sequence: ours {firstSequence}, committed {c.FirstSequence}");
        }
        var count = (ulong)batch.TransactionCount;
        if (count != c.TxCount)
        {
            mismatches.Add($"tx count: ours {count}, committed {c.TxCount}");
        }
        Compare("tx root", BatchTransactionRoot.Compute(firstSequence, batch.Blocks), c.TxRoot, mismatches);
        Compare("blocks root", BatchBlocksRoot.Compute(firstSequence, batch.Blocks), c.BlocksRoot, mismatches);
    }

    /// <summary>
    /// The batch's claims as they now stand on L1: as committed, each domain re-posted since replaced by its latest
    /// re-post (or, for a claim the batch was missing, added by it).
    /// </summary>
    private static List<(DomainId Domain, DomainClaim Claim, bool Reposted)> EffectiveClaims(CommittedBatch committed, IReadOnlyList<Settlement.RepostedClaims> reposts)
    {
        var index = committed.Commitment.BatchIndex;
        var claims = committed.Claims.Select(k => (k.Domain, k.Claim, Reposted: false)).ToList();
        foreach (var repost in reposts)
        {
            if (repost.ClaimOf(index) is not { } claim)
            {
                continue;
            }
            var at = claims.FindIndex(k => k.Domain == repost.Domain);
            if (at >= 0)
            {
                claims[at] = (repost.Domain, claim, true);
            }
            else
            {
                claims.Add((repost.Domain, claim, true)); // a claim the batch was missing, made by the re-post
            }
        }
        return claims;
    }

    /// <summary>
    /// The batch's domain claims against the ones this validator's own execution makes (the accounts domain's and every
    /// market's): the start and end step states and step count a dispute would bisect between. Each domain whose claim
    /// as it now stands on L1 (<paramref name="posted"/>: committed, or re-posted after a fall) differs is named with both
    /// claims, for a challenger.
    /// </summary>
    private static void CompareClaims(
        IReadOnlyList<(DomainId Domain, DomainClaim Claim)> ours, IReadOnlyList<(DomainId Domain, DomainClaim Claim, bool Reposted)> posted,
        List<string> mismatches, List<ClaimDisagreement> disputed, List<string> tolerated)
    {
        var theirs = posted.ToDictionary(k => k.Domain, k => k.Claim);
        var mine = ours.ToDictionary(k => k.Domain, k => k.Claim);
        foreach (var domain in theirs.Keys.Union(mine.Keys).OrderBy(d => d.Kind).ThenBy(d => d.Market))
        {
            DomainClaim? p = theirs.TryGetValue(domain, out var t) ? t : null;
            DomainClaim? own = mine.TryGetValue(domain, out var o) ? o : null;
            if (p != own && Harmless(domain, p, own) is { } why)
            {
                tolerated.Add($"the {domain} domain's claim: posted {Describe(p)}, ours {Describe(own)}: {why}");
            }
            else if (p != own)
            {
                disputed.Add(new ClaimDisagreement(domain, p, own));
                mismatches.Add($"the {domain} domain's claim: posted {Describe(p)}, ours {Describe(own)}");
            }
        }
        if (disputed.Count == 0 && tolerated.Count == 0 && !posted.Any(k => k.Reposted))
        {
            // The posted claims are ours, but their root is not: L1 refuses such a commitment, so the data read back is not L1's.
            mismatches.Add($"claims root: ours {BatchClaimsRoot.Compute(ours)}, committed differs, though the posted claims are ours");
        }
    }

    /// <summary>
    /// Why a claim not ours changes no state anyone can be paid by, so that stopping at it would only let a sequencer
    /// halt validation (and what comes after) with a claim no game needs to decide; null for a disagreement that matters.
    /// A claim whose start and end are ours and whose step count is not (the state it names is the true one); a claim
    /// of a market our execution does not register (no account's margin can reach it, and a market created later
    /// starts from nothing whatever such a claim says: docs/disputes.md, "A claim's start").
    /// </summary>
    private static string? Harmless(DomainId domain, DomainClaim? posted, DomainClaim? ours) => (posted, ours) switch
    {
        ({ } p, { } o) when p.Start == o.Start && p.End == o.End => "only its step count differs, its end is ours",
        ({ }, null) when domain.Kind == DomainId.MarketKind => "a claim of a market not registered at the batch's end",
        _ => null,
    };

    private static string Describe(DomainClaim? claim) =>
        claim is { } c ? $"from {c.Start} to {c.End} in {c.Steps} steps" : "none";

    private async Task CheckDepositsAsync(L2Batch batch, List<string> mismatches, CancellationToken cancellation)
    {
        foreach (var block in batch.Blocks)
        {
            foreach (var tx in block.Transactions)
            {
                if (tx.Kind != TxKind.Deposit)
                {
                    continue;
                }
                var queued = await _source.GetQueuedDepositAsync(tx.DepositIndex, cancellation).ConfigureAwait(false);
                if (queued is not { } entry)
                {
                    mismatches.Add($"block {block.Number} credits deposit {tx.DepositIndex}, which L1 never queued");
                }
                else if (entry.L2Account != tx.Account || entry.Amount != tx.Amount)
                {
                    mismatches.Add($"block {block.Number} credits deposit {tx.DepositIndex} as {tx.Account} {tx.Amount}, L1 queued {entry.L2Account} {entry.Amount}");
                }
            }
        }
    }

    /// <summary>Each market whose root after the batch is not the one the sequencer claimed for it.</summary>
    private static void NameMarkets(List<BlockRecord> records, IReadOnlyList<MarketRoot> claimed, List<string> mismatches, SortedSet<uint> faulty)
    {
        var ours = new SortedDictionary<uint, Hash256>();
        foreach (var record in records)
        {
            foreach (var root in record.MarketRoots)
            {
                ours[root.Market] = root.Root;
            }
        }
        var theirs = new Dictionary<uint, Hash256>();
        foreach (var root in claimed)
        {
            theirs[root.Market] = root.Root;
        }
        foreach (var (market, root) in ours)
        {
            if (!theirs.TryGetValue(market, out var claim) || claim != root)
            {
                faulty.Add(market);
                mismatches.Add($"market {market}: our root {root}, claimed {(theirs.ContainsKey(market) ? claim.ToString() : "none")}");
            }
        }
        foreach (var market in theirs.Keys)
        {
            if (!ours.ContainsKey(market))
            {
                faulty.Add(market);
                mismatches.Add($"market {market}: claimed as touched, but the batch's transactions did not touch it");
            }
        }
    }

    private static void Compare(string what, in Hash256 ours, in Hash256 committed, List<string> mismatches)
    {
        if (ours != committed)
        {
            mismatches.Add($"{what}: ours {ours}, committed {committed}");
        }
    }

    private static ulong LoadProgress(string? path) =>
        path is not null && File.Exists(path) && ulong.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var next) ? next : 0;

    private static void SaveProgress(string? path, ulong next)
    {
        if (path is null)
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path + ".tmp", next.ToString(CultureInfo.InvariantCulture));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch {Index} agrees now: its fallen claims were re-posted ({Reposts} re-posts on L1); validation goes on")]
    private partial void LogFaultCleared(ulong index, int reposts);

    [LoggerMessage(Level = LogLevel.Error, Message = "batch {Index} checked again after a re-post still disagrees: {Mismatches}")]
    private partial void LogStillDisagrees(ulong index, string mismatches);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch {Index} agrees, but {Claim}; validation goes on")]
    private partial void LogTolerated(ulong index, string claim);

    [LoggerMessage(Level = LogLevel.Critical, Message = "batch {Index}'s COMMITMENT DISAGREES with this validator in fields no game decides: {Mismatches} (markets: {Markets}); its claims are this validator's, so validation goes on")]
    private partial void LogUndecided(ulong index, string mismatches, string markets);

    [LoggerMessage(Level = LogLevel.Debug, Message = "batch {Index} agrees: blocks {First}..{Last}, state root {Root}")]
    private partial void LogAgreed(ulong index, ulong first, ulong last, string root);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} batches agree since the last summary; the last, batch {Index}, up to block {Last}, state root {Root}")]
    private partial void LogAgreedSummary(int count, ulong index, ulong last, string root);

    [LoggerMessage(Level = LogLevel.Critical, Message = "batch {Index} DISAGREES with this validator: {Mismatches} (markets: {Markets}); validation stops here")]
    private partial void LogMismatch(ulong index, string mismatches, string markets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "validator: L1 read failed, will retry ({Kind}: {Reason})")]
    private partial void LogRoundFailed(string kind, string reason);
}
