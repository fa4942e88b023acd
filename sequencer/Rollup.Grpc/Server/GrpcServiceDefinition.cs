using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Rollup.Grpc;

public delegate Task<TResponse> UnaryServerMethod<TRequest, TResponse>(TRequest request, ServerCallContext context);

public delegate Task ServerStreamingServerMethod<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);

public delegate Task DuplexStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>One method of a service as the server runs it: its descriptor and its typed handler.</summary>
public abstract class GrpcMethodDefinition
{
    private protected GrpcMethodDefinition(MethodType type, string serviceName, string name)
    {
        Type = type;
        ServiceName = serviceName;
        Name = name;
        Path = $"/{serviceName}/{name}";
    }

    public MethodType Type { get; }

    public string ServiceName { get; }

    public string Name { get; }

    /// <summary><c>/package.Service/Method</c>.</summary>
    public string Path { get; }

    internal abstract ServerCallHandler CreateHandler(ServerMethodSettings settings);
}

internal sealed class GrpcMethodDefinition<TRequest, TResponse>(Method<TRequest, TResponse> method, Delegate handler)
    : GrpcMethodDefinition(method.Type, method.ServiceName, method.Name)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    internal override ServerCallHandler CreateHandler(ServerMethodSettings settings) => method.Type switch
    {
        MethodType.Unary => new UnaryCallHandler<TRequest, TResponse>(Path, settings, method.RequestParser, (UnaryServerMethod<TRequest, TResponse>)handler),
        MethodType.ServerStreaming => new ServerStreamingCallHandler<TRequest, TResponse>(Path, settings, method.RequestParser, (ServerStreamingServerMethod<TRequest, TResponse>)handler),
        MethodType.ClientStreaming => new ClientStreamingCallHandler<TRequest, TResponse>(Path, settings, method.RequestParser, (ClientStreamingServerMethod<TRequest, TResponse>)handler),
        _ => new DuplexStreamingCallHandler<TRequest, TResponse>(Path, settings, method.RequestParser, (DuplexStreamingServerMethod<TRequest, TResponse>)handler),
    };
}

/// <summary>
/// A service as the server runs it: a name and a table of typed method handlers. Built with
/// <see cref="CreateBuilder(ServiceDescriptor)"/>, which also makes the service visible to reflection
/// and checks each method's name and kind against the .proto.
/// </summary>
public sealed class GrpcServiceDefinition
{
    private GrpcServiceDefinition(string name, ServiceDescriptor? descriptor, IReadOnlyList<GrpcMethodDefinition> methods)
    {
        Name = name;
        Descriptor = descriptor;
        Methods = methods;
    }

    /// <summary>Fully-qualified: <c>package.Service</c>.</summary>
    public string Name { get; }

    /// <summary>The .proto service, for reflection; null when built by name only.</summary>
    public ServiceDescriptor? Descriptor { get; }

    public IReadOnlyList<GrpcMethodDefinition> Methods { get; }

    public static Builder CreateBuilder(ServiceDescriptor descriptor) => new(descriptor.FullName, descriptor);

    public static Builder CreateBuilder(string serviceName) => new(serviceName, null);

    public sealed class Builder
    {
        private readonly string _serviceName;
        private readonly ServiceDescriptor? _descriptor;
        private readonly List<GrpcMethodDefinition> _methods = [];

        internal Builder(string serviceName, ServiceDescriptor? descriptor)
        {
            ArgumentException.ThrowIfNullOrEmpty(serviceName);
            _serviceName = serviceName;
            _descriptor = descriptor;
        }

        public Builder AddUnary<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse> => Add(method, MethodType.Unary, handler);

        public Builder AddServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse> => Add(method, MethodType.ServerStreaming, handler);

        public Builder AddClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse> => Add(method, MethodType.ClientStreaming, handler);

        public Builder AddDuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse> => Add(method, MethodType.DuplexStreaming, handler);

        /// <summary>A unary method given by name and request parser; the response parser is only needed by clients.</summary>
        public Builder AddUnary<TRequest, TResponse>(string name, MessageParser<TRequest> requestParser, UnaryServerMethod<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>, new() =>
            AddUnary(new Method<TRequest, TResponse>(MethodType.Unary, _serviceName, name, requestParser, new MessageParser<TResponse>(() => new TResponse())), handler);

        public Builder AddServerStreaming<TRequest, TResponse>(string name, MessageParser<TRequest> requestParser, ServerStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>, new() =>
            AddServerStreaming(new Method<TRequest, TResponse>(MethodType.ServerStreaming, _serviceName, name, requestParser, new MessageParser<TResponse>(() => new TResponse())), handler);

        public Builder AddClientStreaming<TRequest, TResponse>(string name, MessageParser<TRequest> requestParser, ClientStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>, new() =>
            AddClientStreaming(new Method<TRequest, TResponse>(MethodType.ClientStreaming, _serviceName, name, requestParser, new MessageParser<TResponse>(() => new TResponse())), handler);

        public Builder AddDuplexStreaming<TRequest, TResponse>(string name, MessageParser<TRequest> requestParser, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>, new() =>
            AddDuplexStreaming(new Method<TRequest, TResponse>(MethodType.DuplexStreaming, _serviceName, name, requestParser, new MessageParser<TResponse>(() => new TResponse())), handler);

        public GrpcServiceDefinition Build() => new(_serviceName, _descriptor, [.. _methods]);

        private Builder Add<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected, Delegate handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>
        {
            ArgumentNullException.ThrowIfNull(handler);
            if (method.Type != expected)
            {
                throw new ArgumentException($"{method.FullName} is {method.Type}, not {expected}", nameof(method));
            }
            if (method.ServiceName != _serviceName)
            {
                throw new ArgumentException($"{method.FullName} does not belong to {_serviceName}", nameof(method));
            }
            if (_methods.Exists(m => m.Name == method.Name))
            {
                throw new ArgumentException($"{method.FullName} is already registered", nameof(method));
            }
            if (_descriptor is not null)
            {
                var declared = _descriptor.FindMethodByName(method.Name)
                    ?? throw new ArgumentException($"{_serviceName} declares no method {method.Name}", nameof(method));
                var declaredType = Method<TRequest, TResponse>.KindOf(declared);
                if (declaredType != expected)
                {
                    throw new ArgumentException($"{method.FullName} is declared {declaredType} in the .proto, registered as {expected}", nameof(method));
                }
                if (declared.InputType.ClrType is { } input && input != typeof(TRequest))
                {
                    throw new ArgumentException($"{method.FullName} takes {input.Name} in the .proto, registered with {typeof(TRequest).Name}", nameof(method));
                }
            }
            _methods.Add(new GrpcMethodDefinition<TRequest, TResponse>(method, handler));
            return this;
        }
    }
}
