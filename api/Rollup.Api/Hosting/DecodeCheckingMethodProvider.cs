using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Rollup.Api.Hosting;

/// <summary>
/// Binds a generated gRPC service as grpc-dotnet's own binder does, except that the request of a unary or
/// server-streaming call that does not decode is INVALID_ARGUMENT "the request is not a rollup.v1.X: ..." (the caller
/// sent bad bytes) instead of UNKNOWN "Exception was thrown by handler." (which reads as a server bug). grpc-dotnet
/// decodes the request before any interceptor runs, so only the method's marshaller can say it; this provider wraps
/// the generated marshaller. Streams that read many messages keep the generated one: SubmitStream answers what came
/// before a bad message and names it (submission.proto).
/// </summary>
internal sealed class DecodeCheckingMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        if (FindBindMethod() is { } bind)
        {
            // BindService(ServiceBinderBase, TServiceBase) with no instance: it only lists the methods.
            bind.Invoke(null, [new Binder(context, bind.GetParameters()[1].ParameterType), null]);
        }
    }

    /// <summary>The generated BindService, found by its attribute as grpc-dotnet finds it.</summary>
    private static MethodInfo? FindBindMethod()
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type]);
            }
        }
        return null;
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type serviceBase) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Checked(method), Metadata(method.Name, out var handlerMethod), Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(handlerMethod));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Checked(method), Metadata(method.Name, out var handlerMethod), Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(handlerMethod));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(method, Metadata(method.Name, out var handlerMethod), Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(handlerMethod));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(method, Metadata(method.Name, out var handlerMethod), Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(handlerMethod));

        private static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            var generated = method.RequestMarshaller.ContextualDeserializer;
            var name = typeof(TRequest).GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageDescriptor descriptor ? descriptor.FullName : typeof(TRequest).Name;
            var marshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
            {
                try
                {
                    return generated(context);
                }
                catch (InvalidProtocolBufferException error)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"the request is not a {name}: {error.Message}"));
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
        }

        /// <summary>The service's override of the generated method, and the endpoint metadata grpc-dotnet gives it.</summary>
        private List<object> Metadata(string name, out MethodInfo handlerMethod)
        {
            handlerMethod = FindOverride(name) ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handlerMethod.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return metadata;
        }

        private MethodInfo? FindOverride(string name)
        {
            foreach (var candidate in typeof(TService).GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (candidate.Name == name && candidate.IsVirtual && candidate.GetBaseDefinition().DeclaringType == serviceBase)
                {
                    return candidate;
                }
            }
            return null;
        }

        private static TDelegate Invoker<TDelegate>(MethodInfo method)
            where TDelegate : Delegate => (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), method);
    }
}
