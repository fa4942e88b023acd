using Rollup.Bridge.Deposits;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Tests.Deposits;

/// <summary>An L1 in memory for unit tests of the watcher: blocks with parent links, deposits per block, reorgs.</summary>
internal sealed class FakeL1 : IDepositSource
{
    private readonly List<(L1BlockRef Block, List<QueuedDeposit> Deposits)> _chain = [];
    private int _salt;

    public FakeL1(int blocks = 1)
    {
        for (var i = 0; i < blocks; i++)
        {
            Mine();
        }
    }

    public ulong Head => _chain[^1].Block.Number;

    public ulong QueueLength { get; private set; }

    /// <summary>Mines one block holding deposits for these accounts (the queue numbers them).</summary>
    public L1BlockRef Mine(params Address[] depositors)
    {
        var deposits = new (Address, ulong)[depositors.Length];
        for (var i = 0; i < depositors.Length; i++)
        {
            deposits[i] = (depositors[i], 1_000_000);
        }
        return MineDeposits(deposits);
    }

    /// <summary>Mines one block holding these deposits (the queue numbers them).</summary>
    public L1BlockRef MineDeposits(params (Address Account, ulong Amount)[] queued)
    {
        var number = (ulong)_chain.Count;
        var parent = _chain.Count == 0 ? Hash256.Zero : _chain[^1].Block.Hash;
        Span<byte> seed = stackalloc byte[12];
        BitConverter.TryWriteBytes(seed, number);
        BitConverter.TryWriteBytes(seed[8..], _salt);
        var block = new L1BlockRef(number, Keccak256.Compute(seed), parent);
        var deposits = new List<QueuedDeposit>();
        foreach (var (account, amount) in queued)
        {
            deposits.Add(new QueuedDeposit(QueueLength++, account, account, amount, number, block.Hash));
        }
        _chain.Add((block, deposits));
        return block;
    }

    /// <summary>Replaces the last <paramref name="depth"/> blocks by as many empty ones; their deposits leave the queue.</summary>
    public void Reorg(int depth)
    {
        _salt++;
        for (var i = 0; i < depth; i++)
        {
            QueueLength -= (ulong)_chain[^1].Deposits.Count;
            _chain.RemoveAt(_chain.Count - 1);
        }
        for (var i = 0; i < depth; i++)
        {
            Mine();
        }
    }

    public Task<ulong> GetHeadNumberAsync(CancellationToken cancellation) => Task.FromResult(Head);

    public Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken cancellation) =>
        Task.FromResult(number < (ulong)_chain.Count ? _chain[(int)number].Block : (L1BlockRef?)null);

    public Task<IReadOnlyList<QueuedDeposit>> GetDepositsAsync(Hash256 blockHash, CancellationToken cancellation)
    {
        foreach (var (block, deposits) in _chain)
        {
            if (block.Hash == blockHash)
            {
                return Task.FromResult<IReadOnlyList<QueuedDeposit>>(deposits);
            }
        }
        return Task.FromResult<IReadOnlyList<QueuedDeposit>>([]);
    }

    public Task<ulong?> GetDepositBlockAsync(ulong index, CancellationToken cancellation)
    {
        foreach (var (block, deposits) in _chain)
        {
            foreach (var deposit in deposits)
            {
                if (deposit.Index == index)
                {
                    return Task.FromResult<ulong?>(block.Number);
                }
            }
        }
        return Task.FromResult<ulong?>(null);
    }

    public Task<DepositQueueEntry?> GetQueueEntryAsync(ulong index, CancellationToken cancellation)
    {
        foreach (var (_, deposits) in _chain)
        {
            foreach (var deposit in deposits)
            {
                if (deposit.Index == index)
                {
                    return Task.FromResult<DepositQueueEntry?>(new DepositQueueEntry(index, deposit.L2Account, deposit.Amount, deposit.L1Block));
                }
            }
        }
        return Task.FromResult<DepositQueueEntry?>(null);
    }
}

/// <summary>A sink that takes deposits the way the sequencer does: in queue order, each once, or it throws.</summary>
internal sealed class RecordingSink : IDepositSink
{
    public List<QueuedDeposit> Credited { get; } = [];

    public ulong NextDepositIndex { get; set; }

    public Task CreditAsync(QueuedDeposit deposit, CancellationToken cancellation)
    {
        if (deposit.Index != NextDepositIndex)
        {
            throw new InvalidOperationException($"deposit {deposit.Index} out of order, expected {NextDepositIndex}");
        }
        Credited.Add(deposit);
        NextDepositIndex++;
        return Task.CompletedTask;
    }

    /// <summary>What <see cref="Credited"/> holds at that index; null for one credited before the sink was made (it cannot tell).</summary>
    public ValueTask<CreditedDeposit?> GetCreditedAsync(ulong index, CancellationToken cancellation)
    {
        foreach (var deposit in Credited)
        {
            if (deposit.Index == index)
            {
                return ValueTask.FromResult<CreditedDeposit?>(new CreditedDeposit(index, deposit.L2Account, deposit.Amount));
            }
        }
        return ValueTask.FromResult<CreditedDeposit?>(null);
    }
}
