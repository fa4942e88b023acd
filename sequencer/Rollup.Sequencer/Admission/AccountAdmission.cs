using Rollup.Execution.Transactions;

namespace Rollup.Sequencer.Admission;

/// <summary>
/// Admission's view of one signer: its nonce window including transactions admitted but not yet executed,
/// and how many of those there are. Locked while a transaction is checked and queued, so the order in which
/// the window is consumed is the order of the log, and the engine later reaches the same decision.
/// </summary>
internal sealed class AccountAdmission(ReplayWindow window)
{
    public ReplayWindow Window = window;

    public int Pending;

    public readonly Lock Gate = new();
}
