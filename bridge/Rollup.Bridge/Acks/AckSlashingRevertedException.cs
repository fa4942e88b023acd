using Rollup.Bridge.L1;

namespace Rollup.Bridge.Acks;

/// <summary>A call the ack slashing contract refuses, with its custom error decoded by name.</summary>
public sealed class AckSlashingRevertedException : Exception
{
    public AckSlashingRevertedException(string function, RevertReason reason, Exception? innerException = null)
        : base($"{function} refused: {reason}", innerException)
    {
        Function = function;
        Reason = reason;
    }

    public AckSlashingRevertedException()
        : this("", RevertReason.Decode([]))
    {
    }

    public AckSlashingRevertedException(string message)
        : base(message)
    {
        Function = "";
        Reason = RevertReason.Decode([]);
    }

    public AckSlashingRevertedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Function = "";
        Reason = RevertReason.Decode([]);
    }

    public string Function { get; }

    public RevertReason Reason { get; }

    /// <summary>The custom error's name (<c>AlreadySlashed</c>, <c>SameTransaction</c>, ...), null when the data is none of the contract's.</summary>
    public string? Error => Reason.Name;
}
