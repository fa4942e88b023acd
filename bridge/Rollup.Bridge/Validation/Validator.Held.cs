using Microsoft.Extensions.Logging;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Validation;

/// <summary>
/// Funds that left a market inside a range L1 re-posted its claims over (docs/disputes.md, "Finality / Left", rule 6):
/// L1 pays no withdrawal drawing on them, and no transfer moves them into another market, until a correction, which is
/// not built yet. The validator says how much its own state holds that way when it sees such a re-post.
/// </summary>
public sealed partial class Validator
{
    /// <summary>Per re-posted market, from its earliest re-posted batch: the accounts and the amount held for it from that batch's first block on, as of the last re-post seen.</summary>
    public IReadOnlyList<HeldAwaitingCorrection> HeldAwaitingCorrection { get; private set; } = [];

    private async Task CountHeldAwaitingCorrectionAsync(IReadOnlyList<RepostedClaims> reposts, CancellationToken cancellation)
    {
        var earliest = new SortedDictionary<uint, ulong>();
        foreach (var repost in reposts)
        {
            if (repost.Domain.Kind == DomainId.MarketKind &&
                (!earliest.TryGetValue(repost.Domain.Market, out var from) || repost.FromBatch < from))
            {
                earliest[repost.Domain.Market] = repost.FromBatch;
            }
        }
        var held = new List<HeldAwaitingCorrection>(earliest.Count);
        foreach (var (market, fromBatch) in earliest)
        {
            if (await _source.GetCommitmentAsync(fromBatch, cancellation).ConfigureAwait(false) is not { } commitment)
            {
                continue;
            }
            var (accounts, amount) = _executor.HeldFor(market, commitment.FirstBlock);
            held.Add(new HeldAwaitingCorrection(market, fromBatch, accounts, amount));
            if (accounts > 0)
            {
                LogHeldAwaitingCorrection(market, fromBatch, accounts, amount, commitment.FirstBlock);
            }
        }
        HeldAwaitingCorrection = held;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "market {Market} was re-posted from batch {FromBatch}: {Accounts} accounts hold {Amount} that left it from block {FirstBlock} on, which L1 pays no withdrawal of and no transfer moves until a correction (docs/disputes.md, rule 6)")]
    private partial void LogHeldAwaitingCorrection(uint market, ulong fromBatch, int accounts, long amount, ulong firstBlock);
}

/// <summary>What a validator's state holds for <see cref="Market"/> from its earliest re-posted batch on.</summary>
public sealed record HeldAwaitingCorrection(uint Market, ulong FromBatch, int Accounts, long Amount);
