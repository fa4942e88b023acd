using Microsoft.Extensions.Logging;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps.Markets;
using Rollup.Node.Hosting;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Node.Disputes;

/// <summary>
/// A node's parts in the dispute game (docs/disputes.md, "Roles in the nodes"), made from its settings: the watch every
/// node with <see cref="NodeOptions.DisputeGame"/> keeps, the sequencer's defender, the validator's challenger. Each
/// plays from the node's own stored blocks and provable engine, never through another role.
/// </summary>
public static class DisputeRoles
{
    /// <summary>The game's address, or null when the node has none (no games are watched or played).</summary>
    public static Address? GameAddress(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DisputeGame))
        {
            return null;
        }
        return Address.TryParse(options.DisputeGame, out var game) && !game.IsZero
            ? game
            : throw new OptionsException($"Node:DisputeGame is not an address: '{options.DisputeGame}'");
    }

    /// <summary>The validator's challenger key, or null when it has none (it then challenges nothing).</summary>
    public static PrivateKey? ChallengerKey(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ChallengerKey))
        {
            return null;
        }
        var key = SequencerFactory.ParseKey(options.ChallengerKey, "Node:ChallengerKey");
        SequencerFactory.RefusePublishedKey(options, key, "Node:ChallengerKey");
        return key;
    }

    /// <summary>The node's traces of a batch: its stored blocks and receipts, and its provable engine's state before the batch.</summary>
    public static StoredBatchTraces Traces(Func<ulong, BlockRecord?> blocks, ProvableMarkets provable, EngineOptions engine) => new(blocks, provable, engine);

    public static GameWatch Watch(L1Client l1, DisputeGameClient game, NodeOptions options, ILoggerFactory loggers) =>
        new(l1, game, options.L1FromBlock, loggers.CreateLogger("Rollup.Disputes"));

    /// <summary>
    /// The sequencer's defender: its moves sent with <paramref name="l1Sender"/>, the sender its poster uses too (one
    /// nonce at a time), and its re-posts of a domain whose claim fell through <paramref name="settlement"/> (the same sender).
    /// </summary>
    public static DefenseRunner Defender(GameWatch watch, DisputeGameClient game, TransactionSender l1Sender, SettlementClient settlement, IBatchTraceSource traces, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Rollup.Disputes.Defender");
        return new DefenseRunner(watch, game.As(l1Sender), settlement, traces, logger, new ClaimReposter(settlement, traces, logger));
    }

    /// <summary>The validator's challenger, playing the claims of the batch <paramref name="validator"/> disagrees with.</summary>
    public static ChallengeRunner Challenger(DisputeGameClient game, TransactionSender challenger, IBatchSource batches, IBatchTraceSource traces, Validator validator, ILoggerFactory loggers) =>
        new(game.As(challenger), batches, traces, () => validator.Fault, loggers.CreateLogger("Rollup.Disputes.Challenger"));
}
