using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace Rollup.Api.Hosting;

/// <summary>
/// A gRPC call's request body as grpc-dotnet reads it, watched: grpc-dotnet leaves a message that has begun but not
/// arrived in full in the body's pipe (read, examined, not consumed) until it is complete, so what the pipe holds
/// after each read is exactly what this call pins. Held longer than the read timeout without a message completing,
/// or over the budget of all calls, the call is aborted (RST_STREAM) and its read fails with an <see cref="IOException"/>.
/// </summary>
internal sealed class PartialMessageReader(PipeReader inner, HttpContext context, PartialMessageGuard guard) : PipeReader
{
    private readonly Lock _holding = new();
    private ReadOnlySequence<byte> _seen;
    private long _held;
    private long _heldSince;
    private bool _released;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_held == 0)
        {
            return Seen(await inner.ReadAsync(cancellationToken));
        }
        var left = guard.Timeout - Stopwatch.GetElapsedTime(_heldSince);
        if (left <= TimeSpan.Zero)
        {
            throw Stalled();
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(left);
        try
        {
            return Seen(await inner.ReadAsync(timer.Token));
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Stalled();
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }
        result = Seen(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // Measured before the inner reader may hand the consumed segments back to its pool.
        var left = _seen.Slice(consumed).Length;
        _seen = default;
        inner.AdvanceTo(consumed, examined);
        if (left < _held)
        {
            _heldSince = Stopwatch.GetTimestamp(); // a message was taken: the clock starts again for what follows it
        }
        Hold(left);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        Release();
        inner.Complete(exception);
    }

    /// <summary>Gives this call's share of the budget back for good (the request has ended): a read still under way must not take it again.</summary>
    public void Release()
    {
        lock (_holding)
        {
            guard.Add(-_held);
            _held = 0;
            _released = true;
        }
    }

    private ReadResult Seen(ReadResult result)
    {
        _seen = result.Buffer;
        if (_held == 0 && !result.Buffer.IsEmpty)
        {
            _heldSince = Stopwatch.GetTimestamp();
        }
        if (!Hold(result.Buffer.Length))
        {
            guard.Count(SlowClientEvent.OverBudget);
            context.Abort();
            throw new IOException($"the request was reset: messages begun but not complete hold more than {guard.Budget} bytes over all calls");
        }
        return result;
    }

    /// <summary>Sets what this call holds; false if the budget is exceeded with it.</summary>
    private bool Hold(long bytes)
    {
        lock (_holding)
        {
            if (_released)
            {
                return true;
            }
            var total = guard.Add(bytes - _held);
            _held = bytes;
            return total <= (bytes > ConnectionLimits.SmallHoldBytes ? guard.Budget : guard.Budget + guard.Budget / 4);
        }
    }

    private IOException Stalled()
    {
        guard.Count(SlowClientEvent.Stalled);
        context.Abort();
        return new IOException($"the request was reset: a message begun was not complete within {guard.Timeout.TotalSeconds:0.###} s");
    }
}
