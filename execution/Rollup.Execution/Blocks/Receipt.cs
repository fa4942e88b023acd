namespace Rollup.Execution.Blocks;

/// <summary>
/// The outcome of one transaction of a block. For a PlaceOrder, <see cref="OrderId"/> is the id the engine
/// gave it (block number &lt;&lt; 20 | index in block) and the sizes say how much traded and how much rests.
/// </summary>
public readonly record struct Receipt(int TxIndex, TxStatus Status, ulong OrderId = 0, long FilledSize = 0, long RestingSize = 0)
{
    public bool IsAccepted => Status == TxStatus.Accepted;
}
