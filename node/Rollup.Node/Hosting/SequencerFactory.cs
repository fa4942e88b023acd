using Rollup.Execution.Blocks;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer;

namespace Rollup.Node.Hosting;

/// <summary>Turns the node's settings into the sequencer's, refusing bad values with a message that names them.</summary>
public static class SequencerFactory
{
    /// <summary>The key the sequencer's L1 transactions are sent with: <see cref="NodeOptions.L1Key"/>, else the ack key.</summary>
    public static PrivateKey L1Key(NodeOptions node)
    {
        if (string.IsNullOrEmpty(node.L1Key))
        {
            return ParseKey(node.SequencerKey, "Node:SequencerKey");
        }
        var key = ParseKey(node.L1Key, "Node:L1Key");
        RefusePublishedKey(node, key, "Node:L1Key");
        return key;
    }

    /// <summary>
    /// A sequencer signs with its keys: on any chain but the devnet's, none of them may be one of anvil's published
    /// dev keys, which anyone can sign with. (A validator signs nothing.)
    /// </summary>
    public static void RefusePublishedKeys(NodeOptions node)
    {
        RefusePublishedKey(node, ParseKey(node.SequencerKey, "Node:SequencerKey"), "Node:SequencerKey");
        _ = L1Key(node);
    }

    internal static PrivateKey ParseKey(string hex, string setting)
    {
        try
        {
            return PrivateKey.Parse(hex);
        }
        catch (Exception error) when (error is FormatException or SignatureException)
        {
            throw new OptionsException($"{setting} is not a secp256k1 private key (32 bytes hex)");
        }
    }

    internal static void RefusePublishedKey(NodeOptions node, PrivateKey key, string setting)
    {
        if (node.ChainId != DevKeys.DevnetChainId && DevKeys.IsPublished(key))
        {
            throw new OptionsException($"{setting} is one of anvil's published dev keys, which anyone can sign with: refused on chain {node.ChainId} (only the devnet's chain {DevKeys.DevnetChainId} may use them); set a key of your own");
        }
    }

    public static SequencerOptions Options(NodeOptions node)
    {
        var engine = ChainSettings.Engine(node, verifySignatures: false);
        var dataDir = ChainSettings.DataDir(node);
        var key = ParseKey(node.SequencerKey, "Node:SequencerKey");
        if (node.BlockIntervalMs < 1 || node.MaxBlockTransactions < 1 || node.MaxPendingPerAccount < 1 || node.AckTreeMaxLeaves < 1)
        {
            throw new OptionsException("Node:BlockIntervalMs, MaxBlockTransactions, MaxPendingPerAccount and AckTreeMaxLeaves must be at least 1");
        }
        if (node.PruneLogIntervalMs < 0)
        {
            throw new OptionsException("Node:PruneLogIntervalMs must be 0 (keep the whole log) or a positive interval in milliseconds");
        }
        if (node.MaxBlockOrderSlots is < 1 or > Rollup.Execution.Markets.Market.MaxOrderSlots)
        {
            throw new OptionsException($"Node:MaxBlockOrderSlots must be 1 to {Rollup.Execution.Markets.Market.MaxOrderSlots} (the order ids a block has), got {node.MaxBlockOrderSlots}");
        }
        if (node.MaxBulkItems is < 1 or > Rollup.Execution.Transactions.BulkItem.MaxItems)
        {
            throw new OptionsException($"Node:MaxBulkItems must be 1 to {Rollup.Execution.Transactions.BulkItem.MaxItems}, got {node.MaxBulkItems}");
        }
        return new SequencerOptions
        {
            DataDir = dataDir,
            Key = key,
            BlockInterval = TimeSpan.FromMilliseconds(node.BlockIntervalMs),
            MaxBlockTransactions = Math.Min(node.MaxBlockTransactions, new EngineOptions().MaxTransactionsPerBlock),
            MaxPendingPerAccount = node.MaxPendingPerAccount,
            MaxBulkItems = node.MaxBulkItems,
            MaxBlockOrderSlots = node.MaxBlockOrderSlots,
            AckTreeMaxLeaves = node.AckTreeMaxLeaves,
            Engine = engine,
        };
    }
}

/// <summary>A setting that cannot be used; the node exits with its message.</summary>
public sealed class OptionsException : Exception
{
    public OptionsException(string message)
        : base(message)
    {
    }

    public OptionsException()
    {
    }

    public OptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
