namespace Rollup.Node.Devnet;

/// <summary>
/// What of anvil's output goes to the devnet's <c>l1/anvil.log</c>: what a person debugging L1 reads (start-up,
/// transactions with their gas and errors, the blocks that hold them, warnings), not the name of every JSON-RPC
/// method called (the node polls several a second) nor a stanza for each empty block mined (one a second). Unfiltered
/// the log grew about 50 KB a minute on an idle devnet. Lines arrive one at a time, as anvil writes them.
/// </summary>
internal sealed class AnvilLogFilter
{
    private const string BlockNumber = "Block Number:";
    private const string BlockHash = "Block Hash:";
    private const string BlockTime = "Block Time:";
    private const string Transaction = "Transaction:";
    private bool _transactionsSinceLastBlock;
    private bool _inDroppedBlock;
    private bool _lastKeptBlank = true;

    /// <summary>Whether <paramref name="line"/> goes to the log.</summary>
    public bool Keep(string line)
    {
        var text = line.AsSpan().Trim();
        if (text.IsEmpty)
        {
            // One blank line between kept stanzas, none for dropped ones.
            if (_lastKeptBlank || _inDroppedBlock)
            {
                return false;
            }
            _lastKeptBlank = true;
            return true;
        }
        if (IsRpcMethodName(text))
        {
            return false;
        }
        if (text.StartsWith(BlockNumber, StringComparison.Ordinal))
        {
            _inDroppedBlock = !_transactionsSinceLastBlock;
            _transactionsSinceLastBlock = false;
            return Kept(!_inDroppedBlock);
        }
        if (text.StartsWith(BlockHash, StringComparison.Ordinal) || text.StartsWith(BlockTime, StringComparison.Ordinal))
        {
            return Kept(!_inDroppedBlock);
        }
        _inDroppedBlock = false;
        if (text.StartsWith(Transaction, StringComparison.Ordinal))
        {
            _transactionsSinceLastBlock = true;
        }
        return Kept(true);
    }

    private bool Kept(bool keep)
    {
        if (keep)
        {
            _lastKeptBlank = false;
        }
        return keep;
    }

    /// <summary>A line that is only a JSON-RPC method's name, as anvil logs every call: <c>eth_getLogs</c>, <c>anvil_nodeInfo</c>.</summary>
    private static bool IsRpcMethodName(ReadOnlySpan<char> text)
    {
        var underscore = text.IndexOf('_');
        if (underscore <= 0 || underscore == text.Length - 1)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }
        return char.IsAsciiLetterLower(text[0]);
    }
}
