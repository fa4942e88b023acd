namespace Rollup.Api.Hosting;

/// <summary>
/// A background loop of the node that stopped with an error: which loop, and why. Once one is set the node admits
/// nothing more, reports NOT_SERVING, and exits non-zero so that a supervisor restarts it into recovery.
/// </summary>
public sealed record LoopFault(string Loop, string Reason)
{
    public override string ToString() => $"{Loop} failed: {Reason}";
}

/// <summary>The first <see cref="LoopFault"/> of a set of loops, as a value and as a task to wait on.</summary>
public sealed class LoopFaults
{
    private readonly TaskCompletionSource<LoopFault> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first fault, or null while every loop runs.</summary>
    public LoopFault? First => _first.Task.IsCompleted ? _first.Task.Result : null;

    /// <summary>Completes with the first fault.</summary>
    public Task<LoopFault> Faulted => _first.Task;

    /// <summary>Records a fault; true for the first one, which is the one reported.</summary>
    public bool Report(string loop, Exception error) => Report(new LoopFault(loop, error.Message));

    /// <summary>Records a fault found elsewhere (a bridge loop stops the sequencer's admission too).</summary>
    public bool Report(LoopFault fault) => _first.TrySetResult(fault);
}
