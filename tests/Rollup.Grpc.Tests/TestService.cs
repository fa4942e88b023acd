using System.Collections.Concurrent;
using Google.Protobuf.Reflection;
using Rollup.Grpc.Tests.Protos;

namespace Rollup.Grpc.Tests;

/// <summary>The methods of rollup.grpc.test.TestService, as client and server share them.</summary>
internal static class TestMethods
{
    public static ServiceDescriptor Descriptor { get; } = TestServiceReflection.Descriptor.Services[0];

    public static Method<EchoRequest, EchoReply> Echo { get; } = new(Descriptor.FindMethodByName("Echo"));

    public static Method<EchoRequest, EchoReply> Count { get; } = new(Descriptor.FindMethodByName("Count"));

    public static Method<EchoRequest, EchoReply> Concat { get; } = new(Descriptor.FindMethodByName("Concat"));

    public static Method<EchoRequest, EchoReply> Chat { get; } = new(Descriptor.FindMethodByName("Chat"));

    public static Method<EchoRequest, EchoReply> WaitForCancel { get; } = new(Descriptor.FindMethodByName("WaitForCancel"));

    public static Method<EchoRequest, EchoReply> Fail { get; } = new(Descriptor.FindMethodByName("Fail"));

    public static Method<EchoRequest, EchoReply> Hold { get; } = new(Descriptor.FindMethodByName("Hold"));

    /// <summary>A method the server does not have, on a service it has.</summary>
    public static Method<EchoRequest, EchoReply> Missing { get; } = new(MethodType.Unary, Descriptor.FullName, "Missing", EchoRequest.Parser, EchoReply.Parser);

    /// <summary>A method of a service the server does not have.</summary>
    public static Method<EchoRequest, EchoReply> NoService { get; } = new(MethodType.Unary, "rollup.grpc.test.Nowhere", "Echo", EchoRequest.Parser, EchoReply.Parser);
}

/// <summary>
/// The server side of the test service. What handlers observe (cancellation, connections) is kept
/// in task completion sources keyed by the request's text, so tests wait on events, never on time.
/// </summary>
internal sealed class TestServiceImpl
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _cancellations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<string, HoldGroup> _holds = new();

    /// <summary>rollup.grpc.test.imports.Pinger: a file with an import, for reflection.</summary>
    public static GrpcServiceDefinition Pinger { get; } = GrpcServiceDefinition.CreateBuilder(Protos.Imports.WithImportsReflection.Descriptor.Services[0])
        .AddUnary(
            new Method<Google.Protobuf.WellKnownTypes.Empty, Google.Protobuf.WellKnownTypes.Empty>(Protos.Imports.WithImportsReflection.Descriptor.Services[0].Methods[0]),
            (request, context) => Task.FromResult(new Google.Protobuf.WellKnownTypes.Empty()))
        .Build();

    public GrpcServiceDefinition Definition => GrpcServiceDefinition.CreateBuilder(TestMethods.Descriptor)
        .AddUnary(TestMethods.Echo, EchoAsync)
        .AddServerStreaming(TestMethods.Count, CountAsync)
        .AddClientStreaming(TestMethods.Concat, ConcatAsync)
        .AddDuplexStreaming(TestMethods.Chat, ChatAsync)
        .AddUnary(TestMethods.WaitForCancel, WaitForCancelAsync)
        .AddUnary(TestMethods.Fail, FailAsync)
        .AddUnary(TestMethods.Hold, HoldAsync)
        .Build();

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
        private int _arrived;

        public TaskCompletionSource AllArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentDictionary<string, int> Connections { get; } = new();

        public int MaxConcurrent { get; private set; }

        internal async Task ArriveAsync(ServerCallContext context)
        {
            Connections.AddOrUpdate(context.HttpContext.Connection.Id, 1, (_, n) => n + 1);
            var now = Interlocked.Increment(ref _arrived);
            MaxConcurrent = Math.Max(MaxConcurrent, now);
            if (now == expected)
            {
                AllArrived.TrySetResult();
            }
            await Release.Task.WaitAsync(context.CancellationToken);
        }
    }

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static Task<EchoReply> EchoAsync(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = request.Text, Payload = request.Payload });

    /// <summary>Copies request metadata named <c>x-echo-*</c> into the response headers and trailers, then streams.</summary>
    private static async Task CountAsync(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        var echoed = new Metadata();
        foreach (var entry in context.RequestHeaders)
        {
            if (entry.Key.StartsWith("x-echo-", StringComparison.Ordinal))
            {
                echoed.AddReceived(entry.Key, entry.Value);
                context.ResponseTrailers.AddReceived(entry.Key, entry.Value);
            }
        }
        if (echoed.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echoed);
        }
        for (var i = 0; i < request.Count; i++)
        {
            await responses.WriteAsync(new EchoReply { Text = request.Text, Index = i, Payload = request.Payload });
        }
    }

    private static async Task<EchoReply> ConcatAsync(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var request in requests.ReadAllAsync())
        {
            texts.Add(request.Text);
        }
        return new EchoReply { Text = string.Join(",", texts), Index = texts.Count };
    }

    private static async Task ChatAsync(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        var index = 0;
        while (await requests.MoveNextAsync())
        {
            await responses.WriteAsync(new EchoReply { Text = requests.Current.Text, Index = index++, Payload = requests.Current.Payload });
        }
    }

    private async Task<EchoReply> WaitForCancelAsync(EchoRequest request, ServerCallContext context)
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
            outcome.TrySetResult(context.DeadlineExceeded ? "deadline" : "client");
            throw;
        }
    }

    private static Task<EchoReply> FailAsync(EchoRequest request, ServerCallContext context)
    {
        if (request.Text.StartsWith("rpc:", StringComparison.Ordinal))
        {
            var parts = request.Text.Split(':', 3);
            var error = new RpcException(new Status((StatusCode)int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]), new Metadata().Add("failure-kind", "expected"));
            throw error;
        }
        throw new InvalidOperationException("secret internals: " + request.Text);
    }

    private async Task<EchoReply> HoldAsync(EchoRequest request, ServerCallContext context)
    {
        await _holds[request.Text].ArriveAsync(context);
        return new EchoReply { Text = request.Text };
    }
}
