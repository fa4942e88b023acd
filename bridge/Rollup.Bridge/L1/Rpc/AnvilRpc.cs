using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>One transaction of an <see cref="AnvilRpc.ReorgAsync"/>: a signed raw transaction and the index of the new block it goes in.</summary>
public sealed record AnvilReorgTransaction(ReadOnlyMemory<byte> RawTransaction, int BlockIndex);

/// <summary>
/// The development methods of anvil (Foundry's local node), for tests and the devnet: mining on demand,
/// reorgs, snapshots, balances and mining modes. A production node answers these with "method not found".
/// </summary>
public sealed class AnvilRpc(L1RpcClient client)
{
    public L1RpcClient Client { get; } = client;

    /// <summary>anvil_mine: mines <paramref name="blocks"/> blocks at once.</summary>
    public Task MineAsync(ulong blocks = 1, CancellationToken cancellationToken = default) =>
        Client.RequestAsync("anvil_mine", [RpcJson.Quantity(blocks)], cancellationToken);

    /// <summary>evm_mine: mines one block.</summary>
    public Task EvmMineAsync(CancellationToken cancellationToken = default) =>
        Client.RequestAsync("evm_mine", [], cancellationToken);

    /// <summary>
    /// anvil_reorg: replaces the last <paramref name="depth"/> blocks with as many new ones (new hashes at the
    /// same heights); the given transactions go in the new blocks, BlockIndex 0 being the first replaced height.
    /// Transactions of the replaced blocks are not re-included unless passed here.
    /// </summary>
    public Task ReorgAsync(ulong depth, IReadOnlyList<AnvilReorgTransaction>? transactions = null, CancellationToken cancellationToken = default)
    {
        var pairs = new JsonArray((transactions ?? [])
            .Select(t => (JsonNode)new JsonArray(RpcJson.Data(t.RawTransaction.Span), t.BlockIndex))
            .ToArray());
        return Client.RequestAsync("anvil_reorg", [depth, pairs], cancellationToken);
    }

    /// <summary>evm_snapshot: saves the chain state; returns the id to revert to.</summary>
    public async Task<string> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var result = await Client.RequestAsync("evm_snapshot", [], cancellationToken);
        return result.ValueKind == JsonValueKind.String
            ? result.GetString()!
            : throw RpcJson.Malformed("evm_snapshot", "result", result.GetRawText(), "expected a snapshot id");
    }

    /// <summary>evm_revert: returns the chain to a snapshot (which is used up); false when the id is unknown.</summary>
    public async Task<bool> RevertAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        var result = await Client.RequestAsync("evm_revert", [snapshotId], cancellationToken);
        return result.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw RpcJson.Malformed("evm_revert", "result", result.GetRawText(), "expected true or false"),
        };
    }

    /// <summary>anvil_setBalance: sets an account's balance in wei.</summary>
    public Task SetBalanceAsync(Address account, BigInteger wei, CancellationToken cancellationToken = default) =>
        Client.RequestAsync("anvil_setBalance", [account.ToString(), RpcJson.Quantity(wei)], cancellationToken);

    /// <summary>anvil_setAutomine: mine a block for every transaction (on), or only by interval or on demand (off).</summary>
    public Task SetAutomineAsync(bool enabled, CancellationToken cancellationToken = default) =>
        Client.RequestAsync("anvil_setAutomine", [enabled], cancellationToken);

    /// <summary>evm_setIntervalMining: mine a block every <paramref name="seconds"/> seconds; 0 turns interval mining off.</summary>
    public Task SetIntervalMiningAsync(ulong seconds, CancellationToken cancellationToken = default) =>
        Client.RequestAsync("evm_setIntervalMining", [seconds], cancellationToken);
}
