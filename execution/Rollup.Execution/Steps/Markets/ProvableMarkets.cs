using Rollup.Execution.Blocks;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// Every market's trees in the provable layout after a block a batch starts from, which is what its market claims are
/// traced from (docs/steps.md, "Claims"). The node's own engine keeps no such layout and only its head, so this is an
/// engine of its own, in its own directory, that keeps the layout and follows the node's stored blocks as far as it is
/// asked: it lags the chain by about a batch, survives a restart like any engine (its head is its last block), and
/// holds every block it replays to the stored record's state root. It never goes back: a start before its head is
/// served from the last few it handed out (a batch L1 refused and the poster builds again), or, after an L1 reorg that
/// dropped more batches than that, from a replay of the whole chain from genesis in a fresh directory.
/// </summary>
public sealed class ProvableMarkets : IDisposable
{
    private const int Remembered = 4;

    private readonly EngineOptions _options;
    private readonly Func<ulong, BlockRecord?> _blocks;
    private readonly string _directory;
    private ExecutionEngine _engine;
    private readonly Lock _lock = new();
    private readonly Queue<(ulong Block, IReadOnlyDictionary<uint, MarketDomainTrees> Trees)> _recent = new();

    /// <param name="directory">Where its engine keeps its state (a directory of its own, not the node's).</param>
    /// <param name="options">The node engine's options: the chain's, so the blocks replay to the same roots.</param>
    /// <param name="blocks">The node's stored blocks.</param>
    public ProvableMarkets(string directory, EngineOptions options, Func<ulong, BlockRecord?> blocks)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _blocks = blocks;
        _options = options with { KeepProvableLayout = true };
        _engine = ExecutionEngine.Open(directory, _options);
    }

    /// <summary>How many times it replayed the chain from genesis, because a batch started before its head.</summary>
    public int Rebuilds { get; private set; }

    /// <summary>The last block it has replayed.</summary>
    public ulong HeadBlock => _engine.HeadBlock;

    /// <summary>
    /// Each market's trees after block <paramref name="number"/> (0: genesis). They are shared with later calls: read
    /// them, or trace from them (<see cref="MarketTraceBuilder"/> works on a copy), never change them.
    /// </summary>
    public IReadOnlyDictionary<uint, MarketDomainTrees> After(ulong number)
    {
        lock (_lock)
        {
            foreach (var (block, trees) in _recent)
            {
                if (block == number)
                {
                    return trees;
                }
            }
            MoveTo(number);
            var snapshot = TreesOf(_engine);
            if (_recent.Count == Remembered)
            {
                _recent.Dequeue();
            }
            _recent.Enqueue((number, snapshot));
            return snapshot;
        }
    }

    /// <summary>
    /// Every market's trees and the accounts domain's whole state after block <paramref name="number"/>: what a dispute
    /// player traces a batch from. A start at or after its head moves it there, as <see cref="After"/> does; an earlier
    /// one (a game against a batch older than the one the poster or the validator is at) is replayed from genesis in a
    /// scratch engine of its own, so the engine the claims are traced from never goes back for a game.
    /// </summary>
    public ProvableStart StartOf(ulong number)
    {
        lock (_lock)
        {
            if (_engine.HeadBlock <= number)
            {
                var trees = After(number);
                return new ProvableStart(number, trees, _engine.SnapshotAccounts());
            }
        }
        var scratch = _directory + ".scratch-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
        try
        {
            using var engine = ExecutionEngine.Open(scratch, _options);
            ReplayTo(engine, number, _blocks);
            return new ProvableStart(number, TreesOf(engine), engine.SnapshotAccounts());
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    public void Dispose() => _engine.Dispose();

    /// <summary>The engine at block <paramref name="number"/>: replayed forward, or from genesis if it is past it.</summary>
    private void MoveTo(ulong number)
    {
        if (_engine.HeadBlock > number)
        {
            // L1 dropped more batches than it remembers: the state after an earlier block is gone from it.
            Rebuild();
        }
        ReplayTo(_engine, number, _blocks);
    }

    /// <summary>A copy of every market's trees as <paramref name="engine"/> holds them (its layout kept).</summary>
    private static Dictionary<uint, MarketDomainTrees> TreesOf(ExecutionEngine engine)
    {
        var trees = new Dictionary<uint, MarketDomainTrees>();
        foreach (var market in engine.Markets)
        {
            trees[market.Id] = (market.Layout ?? throw new InvalidOperationException("the provable engine keeps no layout")).Trees.Clone();
        }
        return trees;
    }

    private static void ReplayTo(ExecutionEngine engine, ulong number, Func<ulong, BlockRecord?> blocks)
    {
        while (engine.HeadBlock < number)
        {
            var next = engine.HeadBlock + 1;
            var record = blocks(next) ?? throw new InvalidDataException($"block {next} is not in the node's store");
            // The node's engine already recovered every signer of the block: its receipts say which failed.
            var result = engine.Replay(record);
            if (result.StateRoot != record.StateRoot)
            {
                throw new InvalidDataException($"block {next} replayed for the provable markets reaches state root {result.StateRoot}, the store has {record.StateRoot}");
            }
        }
    }

    private void Rebuild()
    {
        _engine.Dispose();
        Directory.Delete(_directory, recursive: true);
        _engine = ExecutionEngine.Open(_directory, _options);
        _recent.Clear();
        Rebuilds++;
    }
}

/// <summary>Where a batch after block <see cref="Block"/> starts, as a dispute player traces it: every market's trees and the accounts domain's whole state.</summary>
public sealed record ProvableStart(ulong Block, IReadOnlyDictionary<uint, MarketDomainTrees> Markets, AccountsSnapshot Accounts);
