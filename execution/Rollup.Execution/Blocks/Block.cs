using Rollup.Execution.Transactions;

namespace Rollup.Execution.Blocks;

/// <summary>An ordered list of transactions to execute on top of block <c>Number - 1</c>, at the sequencer's time.</summary>
public sealed record Block(ulong Number, ulong Timestamp, Transaction[] Transactions);
