using Rollup.Primitives;

namespace Rollup.Execution.Blocks;

/// <summary>How an engine is set up; every node of a chain must use the same chain id, contract and operators.</summary>
public sealed record EngineOptions
{
    /// <summary>L2 chain id in the EIP-712 domain.</summary>
    public ulong ChainId { get; init; } = 31337;

    /// <summary>The L1 settlement contract, the domain's verifying contract.</summary>
    public Address SettlementContract { get; init; }

    /// <summary>Keys allowed to sign market-admin transactions.</summary>
    public IReadOnlyList<Address> Operators { get; init; } = [];

    /// <summary>Threads that execute markets in parallel (and recover signatures); results never depend on it.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Recover every signer inside the engine (what a validator replaying L1 data does). A sequencer that
    /// verified them at admission may turn it off for its own blocks.
    /// </summary>
    public bool VerifySignatures { get; init; } = true;

    /// <summary>
    /// The state database's memtable size (<see cref="Rollup.Storage.ColumnOptions.WriteBufferBytes"/>): memory for
    /// write bursts, and what RocksDB reserves on disk for its write-ahead log. A devnet sets it small.
    /// </summary>
    public long StorageWriteBufferBytes { get; init; } = Rollup.Storage.ColumnOptions.DefaultWriteBufferBytes;

    /// <summary>
    /// Keep every market's provable layout (docs/steps.md, "Its trees and leaves") up to date block by block, so its
    /// provable roots are known after every block (what market claims are made of). Costs the changed records' paths
    /// in five ordered trees per market (bench/results has the figure).
    /// </summary>
    public bool KeepProvableLayout { get; init; }

    /// <summary>Most transactions in one block: order ids keep 20 bits for the index, liquidations use the top of the range.</summary>
    public int MaxTransactionsPerBlock { get; init; } = 1 << 19;

    /// <summary>
    /// For tests: a market for which this returns true (market id, block number) fails after executing its
    /// transactions and preparing its commit (its table writes and its tree already updated): the latest point of
    /// phase B, where containment has the most to undo.
    /// </summary>
    internal Func<uint, ulong, bool>? InjectFault { get; init; }
}
