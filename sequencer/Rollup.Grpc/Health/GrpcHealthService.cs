using System.Threading.Channels;
using Rollup.Grpc.Health.V1;
using ServingStatus = Rollup.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Rollup.Grpc;

/// <summary>
/// The standard health service, <c>grpc.health.v1.Health</c>: Check answers the current status of a
/// service (NOT_FOUND for one never set), Watch sends it at once and again on every change. The
/// empty name is the server as a whole and starts SERVING.
/// </summary>
public sealed class GrpcHealthService
{
    public const string ServiceName = "grpc.health.v1.Health";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [""] = ServingStatus.Serving };
    private readonly Dictionary<string, List<ChannelWriter<ServingStatus>>> _watchers = new(StringComparer.Ordinal);
    private bool _shutDown;

    public GrpcHealthService()
    {
        var service = HealthReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("Health");
        Definition = GrpcServiceDefinition.CreateBuilder(service)
            .AddUnary(new Method<HealthCheckRequest, HealthCheckResponse>(service.FindMethodByName("Check")), CheckAsync)
            .AddServerStreaming(new Method<HealthCheckRequest, HealthCheckResponse>(service.FindMethodByName("Watch")), WatchAsync)
            .Build();
    }

    public GrpcServiceDefinition Definition { get; }

    /// <summary>Sets a service's status and tells its watchers. Ignored after <see cref="Shutdown"/>.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }
            _statuses[service] = status;
            Notify(service, status);
        }
    }

    /// <summary>Forgets a service: Check answers NOT_FOUND again, watchers see SERVICE_UNKNOWN.</summary>
    public void ClearStatus(string service)
    {
        lock (_lock)
        {
            if (!_shutDown && _statuses.Remove(service))
            {
                Notify(service, ServingStatus.ServiceUnknown);
            }
        }
    }

    public ServingStatus? GetStatus(string service)
    {
        lock (_lock)
        {
            return _statuses.TryGetValue(service, out var status) ? status : null;
        }
    }

    /// <summary>
    /// Marks every known service NOT_SERVING for good, so callers move away while the server stops,
    /// and ends every Watch after that last message, so open watches do not hold the shutdown up.
    /// </summary>
    public void Shutdown()
    {
        lock (_lock)
        {
            foreach (var service in _statuses.Keys.ToList())
            {
                _statuses[service] = ServingStatus.NotServing;
                Notify(service, ServingStatus.NotServing);
            }
            foreach (var watchers in _watchers.Values)
            {
                foreach (var watcher in watchers)
                {
                    watcher.TryComplete();
                }
            }
            _shutDown = true;
        }
    }

    private Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context) =>
        GetStatus(request.Service) is { } status
            ? Task.FromResult(new HealthCheckResponse { Status = status })
            : throw new RpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        // Only the latest status matters to a watcher that fell behind.
        var updates = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            if (!_watchers.TryGetValue(request.Service, out var list))
            {
                _watchers[request.Service] = list = [];
            }
            list.Add(updates.Writer);
            updates.Writer.TryWrite(_statuses.TryGetValue(request.Service, out var current) ? current : ServingStatus.ServiceUnknown);
            if (_shutDown)
            {
                updates.Writer.TryComplete();
            }
        }
        try
        {
            ServingStatus? last = null;
            await foreach (var status in updates.Reader.ReadAllAsync(context.CancellationToken))
            {
                if (status != last)
                {
                    await responses.WriteAsync(new HealthCheckResponse { Status = status });
                    last = status;
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                var list = _watchers[request.Service];
                list.Remove(updates.Writer);
                if (list.Count == 0)
                {
                    _watchers.Remove(request.Service);
                }
            }
        }
    }

    private void Notify(string service, ServingStatus status)
    {
        if (_watchers.TryGetValue(service, out var list))
        {
            foreach (var watcher in list)
            {
                watcher.TryWrite(status);
            }
        }
    }
}
