using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// Reads of the stored blocks (blocks, receipts, the transaction index: what the poster, the explorer and the receipt
/// queries read) go beside the writer: one in progress never holds a block's execution up, and each sees whole
/// committed blocks only, never a head whose block is not in the store yet.
/// </summary>
public sealed class StoredReadsTests : IDisposable
{
    private readonly TempDirectory _directory = new("rollup-stored-reads");

    [Fact]
    public async Task A_stored_read_in_progress_does_not_hold_up_execution()
    {
        using var chain = new ExecutedChain(ExecutionEngine.Open(_directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false }));
        var flow = new ChainFlowGenerator(3, markets: 2, accounts: 20);
        chain.Execute(flow.Next(50));
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var reader = Task.Run(() => chain.ReadStored(store =>
        {
            entered.Set();
            release.Wait();
            return store.GetBlock(1)!.Block.Number;
        }));
        entered.Wait();

        var executed = Task.Run(() => chain.Execute(flow.Next(50)));
        await executed.WaitAsync(TimeSpan.FromSeconds(60)); // a TimeoutException if execution waited for the read
        Assert.False(reader.IsCompleted);
        release.Set();
        Assert.Equal(1UL, await reader);
        Assert.Equal(2UL, chain.ReadStored(store => store.HeadBlock));
    }

    [Fact]
    public async Task Stored_reads_beside_execution_see_whole_blocks()
    {
        using var chain = new ExecutedChain(ExecutionEngine.Open(_directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false }));
        var flow = new ChainFlowGenerator(4, markets: 3, accounts: 30);
        var blocks = Enumerable.Range(0, 30).Select(_ => flow.Next(200)).ToList();
        using var done = new CancellationTokenSource();
        var reads = 0;
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstSequences = new Dictionary<ulong, ulong> { [1] = 0 };
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                chain.ReadStored(store =>
                {
                    // The head and its block, read back to back: the block is always there.
                    var head = store.HeadBlock;
                    if (head == 0)
                    {
                        return 0;
                    }
                    var record = store.GetBlock(head) ?? throw new InvalidOperationException($"head {head} is not in the store");
                    if (Volatile.Read(ref reads) % 50 == 0 && record.Block.Transactions.Length > 0)
                    {
                        var last = FirstSequence(store, head, firstSequences) + (ulong)record.Block.Transactions.Length - 1;
                        var located = store.FindTransaction(last) ?? throw new InvalidOperationException($"block {head}'s last transaction is not in the index");
                        if (located.BlockNumber != head || located.Index != record.Block.Transactions.Length - 1)
                        {
                            throw new InvalidOperationException($"block {head}'s last transaction is indexed at {located.BlockNumber}/{located.Index}");
                        }
                    }
                    return record.Block.Transactions.Length;
                });
                Interlocked.Increment(ref reads);
                reading.TrySetResult();
            }
        });
        // The reader is running before the first block, and reads again after each: reads and blocks interleave however
        // the threads are scheduled (run alone on a quiet machine, the 30 blocks were once done before the reader began).
        await Task.WhenAny(reading.Task, reader);
        foreach (var block in blocks)
        {
            chain.Execute(block);
            var before = Volatile.Read(ref reads);
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref reads) > before || reader.IsCompleted, TimeSpan.FromSeconds(30)), "the reader stopped reading");
        }
        await done.CancelAsync();
        await reader;
        Assert.True(reads > 30, $"only {reads} reads beside 30 blocks");
    }

    private static ulong FirstSequence(IBlockStore store, ulong block, Dictionary<ulong, ulong> known)
    {
        if (!known.TryGetValue(block, out var first))
        {
            first = FirstSequence(store, block - 1, known) + (ulong)store.GetBlock(block - 1)!.Block.Transactions.Length;
            known[block] = first;
        }
        return first;
    }

    public void Dispose() => _directory.Dispose();
}
