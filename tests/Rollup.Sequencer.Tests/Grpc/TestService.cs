using System.Collections.Concurrent;
using Grpc.Core;
using Rollup.Sequencer.Tests.Grpc.Protos;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>
/// The server side of rollup.grpc.test.TestService. What handlers observe (cancellation, connections) is kept
/// in task completion sources keyed by the request's text, so tests wait on events, never on time.
/// </summary>
internal sealed class TestServiceImpl : TestService.TestServiceBase
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _cancellations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<string, HoldGroup> _holds = new();

    /// <summary>Completes with "deadline" or "client" when WaitForCancel with this text is canceled.</summary>
    public Task<string> CancellationOf(string key) => _cancellations.GetOrAdd(key, _ => NewSource<string>()).Task;

    /// <summary>Completes when WaitForCancel with this text has started waiting.</summary>
    public Task StartOf(string key) => _started.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public HoldGroup CreateHoldGroup(string key, int expected)
    {
        var group = new HoldGroup(expected);
        _holds[key] = group;
        return group;
    }

    public sealed class HoldGroup(int expected)
    {
        private readonly Lock _lock = new();
        private int _arrived;

        public TaskCompletionSource AllArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentDictionary<string, int> Connections { get; } = new();

        public int MaxConcurrent { get; private set; }

        internal async Task ArriveAsync(ServerCallContext context)
        {
            Connections.AddOrUpdate(context.GetHttpContext().Connection.Id, 1, (_, n) => n + 1);
            var now = Interlocked.Increment(ref _arrived);
            lock (_lock)
            {
                MaxConcurrent = Math.Max(MaxConcurrent, now);
            }
            if (now == expected)
            {
                AllArrived.TrySetResult();
            }
            await Release.Task.WaitAsync(context.CancellationToken);
        }
    }

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = request.Text, Payload = request.Payload });

    /// <summary>Copies request metadata named <c>x-echo-*</c> into the response headers and trailers, then streams.</summary>
    public override async Task Count(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        var echoed = new Metadata();
        foreach (var entry in context.RequestHeaders)
        {
            if (entry.Key.StartsWith("x-echo-", StringComparison.Ordinal))
            {
                echoed.Add(entry);
                context.ResponseTrailers.Add(entry);
            }
        }
        if (echoed.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echoed);
        }
        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Text = request.Text, Index = i, Payload = request.Payload });
        }
    }

    public override async Task<EchoReply> Concat(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var request in requestStream.ReadAllAsync())
        {
            texts.Add(request.Text);
        }
        return new EchoReply { Text = string.Join(",", texts), Index = texts.Count };
    }

    public override async Task Chat(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        var index = 0;
        while (await requestStream.MoveNext())
        {
            await responseStream.WriteAsync(new EchoReply { Text = requestStream.Current.Text, Index = index++, Payload = requestStream.Current.Payload });
        }
    }

    public override async Task<EchoReply> WaitForCancel(EchoRequest request, ServerCallContext context)
    {
        var outcome = _cancellations.GetOrAdd(request.Text, _ => NewSource<string>());
        _started.GetOrAdd(request.Text, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new EchoReply();
        }
        catch (OperationCanceledException)
        {
            // grpc-dotnet cancels the call's token when its deadline passes, with the deadline already behind it.
            outcome.TrySetResult(context.Deadline <= DateTime.UtcNow ? "deadline" : "client");
            throw;
        }
    }

    public override Task<EchoReply> Fail(EchoRequest request, ServerCallContext context)
    {
        if (request.Text.StartsWith("rpc:", StringComparison.Ordinal))
        {
            var parts = request.Text.Split(':', 3);
            throw new RpcException(new Status((StatusCode)int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]), new Metadata { { "failure-kind", "expected" } });
        }
        throw new InvalidOperationException("secret internals: " + request.Text);
    }

    public override async Task<EchoReply> Hold(EchoRequest request, ServerCallContext context)
    {
        await _holds[request.Text].ArriveAsync(context);
        return new EchoReply { Text = request.Text };
    }
}

/// <summary>rollup.grpc.test.imports.Pinger: a file with an import, for reflection.</summary>
internal sealed class PingerImpl : Protos.Imports.Pinger.PingerBase
{
    public override Task<Google.Protobuf.WellKnownTypes.Empty> Ping(Google.Protobuf.WellKnownTypes.Empty request, ServerCallContext context) =>
        Task.FromResult(new Google.Protobuf.WellKnownTypes.Empty());
}
