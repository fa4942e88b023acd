using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;

namespace Rollup.Testing;

/// <summary>
/// A chain executed by the real engine (RocksDB on a temp dir) in batches, each batch traced by the accounts domain's
/// trace builder from the snapshot the engine had before the chain's first batch: what the step tests compare.
/// </summary>
public sealed class StepChain : IDisposable
{
    public static readonly Address Contract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    public static readonly EngineOptions Options = new() { ChainId = 31337, SettlementContract = Contract, Operators = ChainFlowGenerator.Operators, Workers = 2 };
    public static readonly Eip712Domain Domain = RollupDomain.Create(Options.ChainId, Contract);

    private readonly TempDirectory _directory = new("rollup-steps");
    private readonly AccountsTraceBuilder _builder;
    private ulong _nextSequence;

    /// <param name="options">The engine's options (default <see cref="Options"/>).</param>
    /// <param name="injectFault">Markets that fail in phase B (market id, block number), for fault containment.</param>
    public StepChain(EngineOptions? options = null, Func<uint, ulong, bool>? injectFault = null)
    {
        Engine = ExecutionEngine.Open(_directory.Path, (options ?? Options) with { InjectFault = injectFault });
        _builder = new AccountsTraceBuilder(Engine.SnapshotAccounts(), Engine.Domain, Engine.Options.Operators);
    }

    public ExecutionEngine Engine { get; }

    public List<TracedBatch> Batches { get; } = [];

    /// <summary>Executes the blocks as one batch and traces it.</summary>
    public TracedBatch Run(IReadOnlyList<Block> blocks)
    {
        var start = DomainState(Engine);
        var results = new List<BlockResult>(blocks.Count);
        foreach (var block in blocks)
        {
            results.Add(Engine.Execute(block));
        }
        var trace = _builder.Trace(_nextSequence, blocks, results.Select(r => (IReadOnlyList<Receipt>)r.Receipts).ToList());
        foreach (var block in blocks)
        {
            _nextSequence += (ulong)block.Transactions.Length;
        }
        var batch = new TracedBatch(blocks, results, trace, start);
        Batches.Add(batch);
        return batch;
    }

    /// <summary>The accounts domain's lasting state as the engine holds it at its head.</summary>
    public static AccountsDomainState DomainState(ExecutionEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var head = engine.Head;
        return new AccountsDomainState(engine.AccountsRoot, engine.Markets.Select(m => m.Id).ToList(), head.NextDepositIndex, head.TotalDeposits, head.TotalWithdrawals);
    }

    public void Dispose()
    {
        Engine.Dispose();
        _directory.Dispose();
    }
}

/// <summary>A batch the engine executed, its accounts trace, and the accounts domain's lasting state before it.</summary>
public sealed record TracedBatch(IReadOnlyList<Block> Blocks, IReadOnlyList<BlockResult> Results, AccountsTrace Trace, AccountsDomainState Start)
{
    /// <summary>The engine's receipt of the transaction at a sequence number of this batch.</summary>
    public Receipt ReceiptAt(ulong sequence)
    {
        var (block, index) = Locate(sequence);
        return Results[block].Receipts[index];
    }

    public Transaction TransactionAt(ulong sequence)
    {
        var (block, index) = Locate(sequence);
        return Blocks[block].Transactions[index];
    }

    /// <summary>The block (its position in the batch) and index in it of a sequence number of this batch.</summary>
    private (int Block, int Index) Locate(ulong sequence)
    {
        var offset = sequence - Trace.Start.FirstSequence;
        for (var b = 0; b < Blocks.Count; b++)
        {
            if (offset < (ulong)Blocks[b].Transactions.Length)
            {
                return (b, (int)offset);
            }
            offset -= (ulong)Blocks[b].Transactions.Length;
        }
        throw new ArgumentOutOfRangeException(nameof(sequence));
    }
}
