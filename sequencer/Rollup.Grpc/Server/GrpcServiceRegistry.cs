namespace Rollup.Grpc;

/// <summary>The services mapped on this server, in mapping order; reflection lists them and the unimplemented handler tells an unknown method from an unknown service.</summary>
public sealed class GrpcServiceRegistry
{
    private readonly Lock _lock = new();
    private GrpcServiceDefinition[] _services = [];

    public IReadOnlyList<GrpcServiceDefinition> Services => Volatile.Read(ref _services);

    public bool IsRegistered(string serviceName)
    {
        foreach (var service in Volatile.Read(ref _services))
        {
            if (service.Name == serviceName)
            {
                return true;
            }
        }
        return false;
    }

    internal void Add(GrpcServiceDefinition service)
    {
        lock (_lock)
        {
            if (IsRegistered(service.Name))
            {
                throw new InvalidOperationException($"gRPC service {service.Name} is already mapped");
            }
            Volatile.Write(ref _services, [.. _services, service]);
        }
    }
}
