using System.Globalization;
using Rollup.Execution.Steps;
using Prometheus;

namespace Rollup.Node.Bridge;

/// <summary>
/// What the bridge did, as prometheus-net metrics in a registry of the bridge's own, read from its parts when
/// exported: the deposit watcher and the poster of a sequencer, the validator of a validator (only what runs is shown).
/// </summary>
internal sealed class BridgeMetrics
{
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public BridgeMetrics(L1Bridge bridge)
    {
        var metrics = Metrics.WithCustomRegistry(Registry);
        if (bridge.Watcher is { } watcher)
        {
            var credited = metrics.CreateCounter("rollup_l1_deposits_credited_total", "L1 deposits credited on L2.");
            var reorgs = metrics.CreateCounter("rollup_l1_reorgs_total", "L1 reorgs the deposit watcher followed.");
            Registry.AddBeforeCollectCallback(() =>
            {
                credited.IncTo(watcher.Credited);
                reorgs.IncTo(watcher.Reorgs);
            });
        }
        if (bridge.Poster is { } poster)
        {
            var batches = metrics.CreateCounter("rollup_batches_posted_total", "Batches committed to L1.");
            var parts = metrics.CreateCounter("rollup_batch_parts_posted_total", "Batch data parts posted to L1.");
            var bytes = metrics.CreateCounter("rollup_batch_bytes_posted_total", "Batch data bytes posted to L1.");
            var failures = metrics.CreateCounter("rollup_batch_post_failures_total", "Posting rounds that failed and were retried.");
            Registry.AddBeforeCollectCallback(() =>
            {
                batches.IncTo(poster.BatchesPosted);
                parts.IncTo(poster.PartsPosted);
                bytes.IncTo(poster.BytesPosted);
                failures.IncTo(poster.Failures);
            });
        }
        if (bridge.Provable is { } provable)
        {
            var head = metrics.CreateGauge("rollup_provable_head_block", "The last block the provable engine replayed: the next batch's market claims start after it.");
            Registry.AddBeforeCollectCallback(() => head.Set(provable.HeadBlock));
        }
        if (bridge.Retention is { } retention)
        {
            var through = metrics.CreateGauge("rollup_txlog_pruned_through_block", "The L2 block the transaction log was last pruned through (its batch final on L1).");
            var dropped = metrics.CreateCounter("rollup_txlog_pruned_transactions_total", "Transactions dropped from the transaction log by its retention rule.");
            Registry.AddBeforeCollectCallback(() =>
            {
                through.Set(retention.PrunedThrough);
                dropped.IncTo(retention.Dropped);
            });
        }
        if (bridge.Games is { } games)
        {
            var byStatus = metrics.CreateGauge("rollup_dispute_games", "Dispute games on L1 by status (open, defender_won, challenger_won, abandoned).", "status");
            var left = metrics.CreateGauge(
                "rollup_dispute_game_steps_in_dispute", "An open game's range still disputed (hi - lo steps; 1: down to the one-step proof), 0 once it ended.", "game", "batch", "kind", "market");
            var awaiting = metrics.CreateGauge(
                "rollup_dispute_games_awaiting_input", "Open games whose defender's clock is stopped until a claim its last step reads is Final (awaitInput).");
            var felled = metrics.CreateGauge(
                "rollup_dispute_claims_felled_at_once", "Claims felled with no game (cut short, a broken start, a missing claim), by batch and domain.", "batch", "kind", "market");
            Registry.AddBeforeCollectCallback(() =>
            {
                var times = new Dictionary<(ulong, DomainId), int>();
                foreach (var claim in games.FelledAtOnce)
                {
                    times[(claim.BatchIndex, claim.Domain)] = times.GetValueOrDefault((claim.BatchIndex, claim.Domain)) + 1;
                }
                foreach (var ((batch, domain), count) in times)
                {
                    felled.WithLabels(batch.ToString(CultureInfo.InvariantCulture), domain.Kind.ToString(CultureInfo.InvariantCulture), domain.Market.ToString(CultureInfo.InvariantCulture)).Set(count);
                }
                var counts = new Dictionary<string, int> { ["open"] = 0, ["defender_won"] = 0, ["challenger_won"] = 0, ["abandoned"] = 0 };
                var awaitingInput = 0;
                foreach (var game in games.Games)
                {
                    awaitingInput += !game.Ended && game.AwaitedInput is not null ? 1 : 0;
                    var status = StatusLabel(game.State.Status);
                    counts[status] = counts.GetValueOrDefault(status) + 1;
                    var started = game.Started;
                    left.WithLabels(started.GameId.ToString(), started.BatchIndex.ToString(CultureInfo.InvariantCulture), started.Domain.Kind.ToString(CultureInfo.InvariantCulture), started.Domain.Market.ToString(CultureInfo.InvariantCulture))
                        .Set(game.Ended ? 0 : game.State.Hi - game.State.Lo);
                }
                foreach (var (status, count) in counts)
                {
                    byStatus.WithLabels(status).Set(count);
                }
                awaiting.Set(awaitingInput);
            });
        }
        if (bridge.Defense is { } defense)
        {
            var moves = metrics.CreateCounter("rollup_dispute_defender_moves_total", "Moves the sequencer made defending its claims.");
            var undefendable = metrics.CreateGauge("rollup_dispute_undefendable_games", "Games against claims of this sequencer that its own trace does not make: they will fall.");
            Registry.AddBeforeCollectCallback(() =>
            {
                moves.IncTo(defense.MovesMade);
                undefendable.Set(defense.Undefendable);
            });
        }
        if (bridge.Challenge is { } challenge)
        {
            var moves = metrics.CreateCounter("rollup_dispute_challenger_moves_total", "Moves this validator made challenging claims it disagrees with.");
            Registry.AddBeforeCollectCallback(() => moves.IncTo(challenge.MovesMade));
        }
        if (bridge.Validator is { } validator)
        {
            var agreed = metrics.CreateCounter("rollup_validator_batches_agreed_total", "Committed batches this validator re-executed and agrees with.");
            var nextBatch = metrics.CreateGauge("rollup_validator_next_batch", "The next batch index the validator will check.");
            var fault = metrics.CreateGauge("rollup_validator_fault", "1 once a committed batch disagreed with this validator.");
            var faultyMarket = metrics.CreateGauge("rollup_validator_faulty_market", "Markets whose root after the disputed batch differs from the sequencer's claim.", "market", "batch");
            var disputed = metrics.CreateGauge(
                "rollup_validator_disputed_claim", "Domains (kind 0 accounts, 1 market) whose claim in the batch is not this validator's: what a challenge disputes.", "kind", "market", "batch");
            var reorgs = metrics.CreateCounter("rollup_validator_reorgs_total", "L1 reorgs that took away batches this validator agreed with, so it checked them again.");
            var undecided = metrics.CreateCounter(
                "rollup_validator_undecided_batches_total", "Batches whose claims agree but whose commitment names fields no game decides (state, transaction or blocks roots, counts) not this validator's.");
            var lastUndecided = metrics.CreateGauge("rollup_validator_last_undecided_batch", "The latest such batch's index (-1: none).");
            Registry.AddBeforeCollectCallback(() =>
            {
                agreed.IncTo(validator.BatchesAgreed);
                reorgs.IncTo(validator.Reorgs);
                undecided.IncTo(validator.BatchesUndecided);
                lastUndecided.Set(validator.LastUndecided is { } u ? u.BatchIndex : -1);
                nextBatch.Set(validator.NextBatchIndex);
                fault.Set(validator.Fault is null ? 0 : 1);
                if (validator.Fault is { } found)
                {
                    var batch = found.BatchIndex.ToString(CultureInfo.InvariantCulture);
                    foreach (var market in found.FaultyMarkets)
                    {
                        faultyMarket.WithLabels(market.ToString(CultureInfo.InvariantCulture), batch).Set(1);
                    }
                    foreach (var claim in found.DisputedClaims)
                    {
                        disputed.WithLabels(claim.Domain.Kind.ToString(CultureInfo.InvariantCulture), claim.Domain.Market.ToString(CultureInfo.InvariantCulture), batch).Set(1);
                    }
                }
            });
        }
    }

    private static string StatusLabel(Rollup.Bridge.Disputes.DisputeGameStatus status) => status switch
    {
        Rollup.Bridge.Disputes.DisputeGameStatus.DefenderWon => "defender_won",
        Rollup.Bridge.Disputes.DisputeGameStatus.ChallengerWon => "challenger_won",
        Rollup.Bridge.Disputes.DisputeGameStatus.Abandoned => "abandoned",
        _ => "open",
    };
}
