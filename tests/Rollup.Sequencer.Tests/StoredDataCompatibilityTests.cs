using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Log;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// A data directory written before the move to RocksDbSharp (the node's own binding of Debian's librocksdb 7.8,
/// tests/fixtures/datadir-rocksdb78, with the roots that build printed in its manifest.json) opens with the bundled
/// RocksDB and gives the same state: as stored, after a replay of its log into a fresh engine, and under a sequencer.
/// </summary>
public sealed class StoredDataCompatibilityTests : IDisposable
{
    private static readonly string Fixture = RepositoryPaths.Combine("tests", "fixtures", "datadir-rocksdb78");
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };
    private static readonly PrivateKey SequencerKey = ChainFlowGenerator.KeyOf(0xFFF9);

    private readonly TempDirectory _directory = new("rollup-compat");
    private readonly Manifest _manifest = Manifest.Read(Path.Combine(Fixture, "manifest.json"));

    [Fact]
    public void Open_DataDirOfRocksDb78_SameHeadAndRootsAsWritten()
    {
        var dataDir = CopyFixture();
        using var engine = ExecutionEngine.Open(Path.Combine(dataDir, "state"), Engine);

        Assert.Equal(_manifest.BlockNumber, engine.Head.BlockNumber);
        Assert.Equal(_manifest.StateRoot, engine.Head.StateRoot.ToString());
        Assert.Equal(_manifest.AccountsRoot, engine.AccountsRoot.ToString());
        Assert.Equal(_manifest.MarketsRoot, engine.MarketsRoot.ToString());
        foreach (var (market, root) in _manifest.MarketRoots)
        {
            Assert.Equal(root, engine.MarketRoot(uint.Parse(market, System.Globalization.CultureInfo.InvariantCulture)).ToString());
        }
        Assert.Equal(_manifest.TotalCollateral, engine.TotalCollateral());
        Assert.Equal(_manifest.TotalDeposits - _manifest.TotalWithdrawals, engine.TotalCollateral());
    }

    /// <summary>
    /// The log was executed under the rules of its day. Those rules changed twice since: funding goes through an
    /// index settled when a position is written (docs/execution.md#funding), where it was paid to every position
    /// at each event; and a margin transfer keeps a held credit in its account's record (docs/state.md, "Held
    /// credits"). Records are stored as before while no market has had a funding event and no margin has moved, so
    /// up to the first of those the replay must reproduce every stored root exactly; from there on the chains may differ.
    /// </summary>
    [Fact]
    public void Replay_LogOfRocksDb78IntoFreshEngine_EveryBlockRootAsStoredUntilTheFirstFundingEventOrMarginTransfer()
    {
        var dataDir = CopyFixture();
        using var stored = ExecutionEngine.Open(Path.Combine(dataDir, "state"), Engine);
        using var log = TxLog.Open(Path.Combine(dataDir, "txlog"));
        using var fresh = ExecutionEngine.Open(_directory.Combine("replay"), Engine);

        Assert.Equal(_manifest.LoggedTransactions, log.NextSequence);
        var compared = 0;
        for (var number = 1UL; number <= _manifest.BlockNumber; number++)
        {
            var logged = log.GetBlock(number) ?? throw new InvalidDataException($"block {number} missing from the log");
            var transactions = log.ReadRange(logged.FirstSequence, logged.EndSequence);
            var result = fresh.Execute(new Block(number, logged.Timestamp, transactions));
            if (fresh.Markets.Any(m => m.FundingIndex != 0) || transactions.Any(t => t.Kind == Rollup.Execution.Transactions.TxKind.TransferMargin))
            {
                break;
            }
            Assert.Equal(stored.GetBlock(number)!.StateRoot, result.StateRoot);
            compared++;
        }
        Assert.True(compared > 0, "no block was compared");
        if ((ulong)compared == _manifest.BlockNumber)
        {
            Assert.Equal(_manifest.StateRoot, fresh.Head.StateRoot.ToString());
        }
    }

    [Fact]
    public void Open_DataDirOfRocksDb78_IndexesEveryLoggedTransactionByHashAndSequence()
    {
        var dataDir = CopyFixture();
        using var log = TxLog.Open(Path.Combine(dataDir, "txlog"));
        using (var engine = ExecutionEngine.Open(Path.Combine(dataDir, "state"), Engine))
        {
            Assert.Equal(_manifest.LoggedTransactions, engine.NextSequence);
        }
        // A second open finds the index the first wrote, and it says what the log says.
        using var reopened = ExecutionEngine.Open(Path.Combine(dataDir, "state"), Engine);
        for (var number = 1UL; number <= _manifest.BlockNumber; number++)
        {
            var logged = log.GetBlock(number)!.Value;
            var transactions = log.ReadRange(logged.FirstSequence, logged.EndSequence);
            for (var i = 0; i < transactions.Length; i++)
            {
                var location = new TxLocation(number, i, logged.FirstSequence + (ulong)i);
                Assert.Equal(location, reopened.FindTransaction(location.Sequence));
                Assert.Equal(location, reopened.FindTransaction(TransactionHash.Of(transactions[i])));
            }
        }
        Assert.Null(reopened.FindTransaction(_manifest.LoggedTransactions));
    }

    [Fact]
    public async Task Start_SequencerOnDataDirOfRocksDb78_RecoversTheSameHead()
    {
        var dataDir = CopyFixture();
        var options = new SequencerOptions { DataDir = dataDir, Engine = Engine, Key = SequencerKey, BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) };
        await using var sequencer = Sequencer.Start(options, NullLogger.Instance);

        Assert.Equal(_manifest.LoggedTransactions, sequencer.LoggedTransactions);
        Assert.Equal(_manifest.StateRoot, sequencer.Read(e => e.Head.StateRoot.ToString()));
    }

    private string CopyFixture()
    {
        var target = _directory.Combine("data");
        foreach (var file in Directory.EnumerateFiles(Fixture, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Fixture, file);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        return target;
    }

    public void Dispose() => _directory.Dispose();

    private sealed record Manifest(
        ulong LoggedTransactions, ulong BlockNumber, string StateRoot, string AccountsRoot, string MarketsRoot,
        Dictionary<string, string> MarketRoots, long TotalCollateral, long TotalDeposits, long TotalWithdrawals)
    {
        private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

        public static Manifest Read(string path) => JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json)!;
    }
}
