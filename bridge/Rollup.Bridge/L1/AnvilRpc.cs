using System.Numerics;
using Nethereum.Hex.HexTypes;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>One transaction of an <see cref="AnvilRpc.ReorgAsync"/>: a signed raw transaction and the index of the new block it goes in.</summary>
public sealed record AnvilReorgTransaction(string RawTransaction, int BlockIndex);

/// <summary>
/// The development methods of anvil (Foundry's local node), for tests and the devnet: mining on demand,
/// reorgs, snapshots, balances and mining modes. Nethereum has no typed requests for these; they go by name
/// through its JSON-RPC client. A production node answers them with "method not found".
/// </summary>
public sealed class AnvilRpc(L1Client client)
{
    public L1Client Client { get; } = client;

    /// <summary>anvil_mine: mines <paramref name="blocks"/> blocks at once.</summary>
    public Task MineAsync(ulong blocks = 1, CancellationToken cancellationToken = default) =>
        Client.RequestAsync<object?>("anvil_mine", [new HexBigInteger(blocks).HexValue], cancellationToken);

    /// <summary>evm_mine: mines one block.</summary>
    public Task EvmMineAsync(CancellationToken cancellationToken = default) =>
        Client.RequestAsync<object?>("evm_mine", [], cancellationToken);

    /// <summary>
    /// anvil_reorg: replaces the last <paramref name="depth"/> blocks with as many new ones (new hashes at the
    /// same heights); the given transactions go in the new blocks, BlockIndex 0 being the first replaced height.
    /// Transactions of the replaced blocks are not re-included unless passed here.
    /// </summary>
    public Task ReorgAsync(ulong depth, IReadOnlyList<AnvilReorgTransaction>? transactions = null, CancellationToken cancellationToken = default)
    {
        var pairs = (transactions ?? []).Select(t => new object[] { t.RawTransaction, t.BlockIndex }).ToArray();
        return Client.RequestAsync<object?>("anvil_reorg", [depth, pairs], cancellationToken);
    }

    /// <summary>evm_snapshot: saves the chain state; returns the id to revert to.</summary>
    public Task<string> SnapshotAsync(CancellationToken cancellationToken = default) =>
        Client.RequestAsync<string>("evm_snapshot", [], cancellationToken);

    /// <summary>evm_revert: returns the chain to a snapshot (which is used up); false when the id is unknown.</summary>
    public Task<bool> RevertAsync(string snapshotId, CancellationToken cancellationToken = default) =>
        Client.RequestAsync<bool>("evm_revert", [snapshotId], cancellationToken);

    /// <summary>anvil_setBalance: sets an account's balance in wei.</summary>
    public Task SetBalanceAsync(Address account, BigInteger wei, CancellationToken cancellationToken = default) =>
        Client.RequestAsync<object?>("anvil_setBalance", [account.ToString(), new HexBigInteger(wei).HexValue], cancellationToken);

    /// <summary>anvil_setAutomine: mine a block for every transaction (on), or only by interval or on demand (off).</summary>
    public Task SetAutomineAsync(bool enabled, CancellationToken cancellationToken = default) =>
        Client.RequestAsync<object?>("anvil_setAutomine", [enabled], cancellationToken);

    /// <summary>evm_setIntervalMining: mine a block every <paramref name="seconds"/> seconds; 0 turns interval mining off.</summary>
    public Task SetIntervalMiningAsync(ulong seconds, CancellationToken cancellationToken = default) =>
        Client.RequestAsync<object?>("evm_setIntervalMining", [seconds], cancellationToken);
}
