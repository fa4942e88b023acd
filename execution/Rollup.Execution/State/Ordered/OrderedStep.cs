namespace Rollup.Execution.State.Ordered;

/// <summary>One inner node on a key's path in an ordered tree: the bit it splits on and its child off the path.</summary>
public readonly record struct OrderedStep(byte Bit, OrderedNode Sibling);
