using Rollup.Execution.Blocks;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer;

namespace Rollup.Node.Hosting;

/// <summary>Turns the node's settings into the sequencer's, refusing bad values with a message that names them.</summary>
public static class SequencerFactory
{
    public static SequencerOptions Options(NodeOptions node)
    {
        if (!Address.TryParse(node.SettlementContract, out var contract))
        {
            throw new OptionsException($"Node:SettlementContract is not an address: '{node.SettlementContract}'");
        }
        PrivateKey key;
        try
        {
            key = PrivateKey.Parse(node.SequencerKey);
        }
        catch (Exception error) when (error is FormatException or SignatureException)
        {
            throw new OptionsException("Node:SequencerKey is not a secp256k1 private key (32 bytes hex)");
        }
        var operators = new List<Address>();
        foreach (var text in node.Operators.Count == 0 ? [DevKeys.OperatorKey.Address.ToString()] : node.Operators)
        {
            operators.Add(Address.TryParse(text, out var address) ? address : throw new OptionsException($"Node:Operators has a bad address: '{text}'"));
        }
        if (node.BlockIntervalMs < 1 || node.MaxBlockTransactions < 1 || node.MaxPendingPerAccount < 1 || node.Workers < 1 || node.AckTreeMaxLeaves < 1)
        {
            throw new OptionsException("Node:BlockIntervalMs, MaxBlockTransactions, MaxPendingPerAccount, AckTreeMaxLeaves and Workers must be at least 1");
        }
        return new SequencerOptions
        {
            DataDir = Path.GetFullPath(node.DataDir),
            Key = key,
            BlockInterval = TimeSpan.FromMilliseconds(node.BlockIntervalMs),
            MaxBlockTransactions = Math.Min(node.MaxBlockTransactions, new EngineOptions().MaxTransactionsPerBlock),
            MaxPendingPerAccount = node.MaxPendingPerAccount,
            AckTreeMaxLeaves = node.AckTreeMaxLeaves,
            Engine = new EngineOptions
            {
                ChainId = node.ChainId,
                SettlementContract = contract,
                Operators = operators,
                Workers = node.Workers,
                // Only admitted transactions reach the log, and admission recovered every signer: the
                // sequencer's own engine need not do it again. A validator replaying L1 data must.
                VerifySignatures = false,
            },
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
