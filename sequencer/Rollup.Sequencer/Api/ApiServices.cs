using Google.Protobuf;
using Google.Protobuf.Reflection;
using Rollup.Grpc;

namespace Rollup.Sequencer.Api;

/// <summary>The rollup.v1 service descriptors (the messages are generated; the services are ours) and method lookup.</summary>
public static class ApiServices
{
    public static readonly ServiceDescriptor Submission = Proto.V1.SubmissionReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Submission");

    public static readonly ServiceDescriptor Query = Proto.V1.QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public static readonly ServiceDescriptor Streams = Proto.V1.StreamsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Streams");

    public static Method<TRequest, TResponse> Method<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(service.FindMethodByName(name) ?? throw new InvalidOperationException($"{service.FullName} has no method {name}"));
}
