using Rollup.Execution.Blocks;
using Rollup.Primitives;

namespace Rollup.Node.Hosting;

/// <summary>
/// The engine's settings every role runs with, from the node's (the chain's id, settlement contract and operators, the
/// workers and the memtable size): a sequencer's, a validator's and their provable engines' alike, so that they all
/// execute to the same roots. Refuses bad values with a message that names them.
/// </summary>
public static class ChainSettings
{
    /// <summary>The node's data directory as a full path, refused when it is not a path (empty, or with a NUL).</summary>
    public static string DataDir(NodeOptions node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (string.IsNullOrWhiteSpace(node.DataDir) || node.DataDir.Contains('\0', StringComparison.Ordinal))
        {
            throw new OptionsException($"Node:DataDir is not a directory path: '{node.DataDir}'");
        }
        return Path.GetFullPath(node.DataDir);
    }

    /// <param name="verifySignatures">
    /// Whether the engine recovers every signer itself: a validator replaying L1 data must; a sequencer's does not, since
    /// only admitted transactions reach its log and admission recovered every signer.
    /// </param>
    public static EngineOptions Engine(NodeOptions node, bool verifySignatures)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!Address.TryParse(node.SettlementContract, out var contract))
        {
            throw new OptionsException($"Node:SettlementContract is not an address: '{node.SettlementContract}'");
        }
        var operators = new List<Address>();
        foreach (var text in node.Operators.Count == 0 ? [DevKeys.OperatorKey.Address.ToString()] : node.Operators)
        {
            operators.Add(Address.TryParse(text, out var address) ? address : throw new OptionsException($"Node:Operators has a bad address: '{text}'"));
        }
        if (node.Workers < 1 || node.WriteBufferMiB < 1)
        {
            throw new OptionsException("Node:Workers and WriteBufferMiB must be at least 1");
        }
        return new EngineOptions
        {
            ChainId = node.ChainId,
            SettlementContract = contract,
            Operators = operators,
            Workers = node.Workers,
            StorageWriteBufferBytes = (long)node.WriteBufferMiB << 20,
            VerifySignatures = verifySignatures,
        };
    }
}
