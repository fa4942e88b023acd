using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Rollup.Grpc;

/// <summary>The four shapes of a gRPC method.</summary>
public enum MethodType
{
    Unary,
    ServerStreaming,
    ClientStreaming,
    DuplexStreaming,
}

/// <summary>
/// What client and server agree on for one method: its kind, its path
/// <c>/package.Service/Method</c>, and the parsers of both message types.
/// </summary>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public Method(MethodType type, string serviceName, string name, MessageParser<TRequest> requestParser, MessageParser<TResponse> responseParser)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (serviceName.Contains('/', StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"service and method names cannot contain '/': {serviceName}/{name}");
        }
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = $"/{serviceName}/{name}";
        RequestParser = requestParser;
        ResponseParser = responseParser;
    }

    /// <summary>A method as the .proto declares it: kind, names and parsers taken from the descriptor.</summary>
    public Method(MethodDescriptor descriptor)
        : this(
            KindOf(descriptor),
            descriptor.Service.FullName,
            descriptor.Name,
            descriptor.InputType.Parser as MessageParser<TRequest> ?? throw new ArgumentException($"{descriptor.FullName} takes {descriptor.InputType.FullName}, not {typeof(TRequest).Name}", nameof(descriptor)),
            descriptor.OutputType.Parser as MessageParser<TResponse> ?? throw new ArgumentException($"{descriptor.FullName} returns {descriptor.OutputType.FullName}, not {typeof(TResponse).Name}", nameof(descriptor)))
    {
    }

    public MethodType Type { get; }

    /// <summary>The fully-qualified service name, e.g. <c>rollup.v1.Sequencer</c>.</summary>
    public string ServiceName { get; }

    public string Name { get; }

    /// <summary>The HTTP/2 <c>:path</c>: <c>/package.Service/Method</c>.</summary>
    public string FullName { get; }

    public MessageParser<TRequest> RequestParser { get; }

    public MessageParser<TResponse> ResponseParser { get; }

    public override string ToString() => FullName;

    internal static MethodType KindOf(MethodDescriptor descriptor) => (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (false, true) => MethodType.ServerStreaming,
        (true, false) => MethodType.ClientStreaming,
        (true, true) => MethodType.DuplexStreaming,
    };
}
