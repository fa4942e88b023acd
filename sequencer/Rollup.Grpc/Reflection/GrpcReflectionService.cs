using Google.Protobuf;
using Google.Protobuf.Reflection;
using Rollup.Grpc.Reflection.V1;
using V1Alpha = Rollup.Grpc.Reflection.V1Alpha;

namespace Rollup.Grpc;

/// <summary>
/// Server reflection (<c>grpc.reflection.v1.ServerReflection</c> and the older
/// <c>grpc.reflection.v1alpha.ServerReflection</c>, identical on the wire) over the services mapped
/// on the server: list_services, file_by_filename, file_containing_symbol, file_containing_extension,
/// all_extension_numbers_of_type. Files are served as <c>FileDescriptorProto</c> bytes with their
/// transitive dependencies, each file at most once per stream.
/// </summary>
public sealed class GrpcReflectionService
{
    private readonly Func<IReadOnlyList<GrpcServiceDefinition>> _services;
    private ReflectionIndex? _index;

    public GrpcReflectionService(Func<IReadOnlyList<GrpcServiceDefinition>> services)
    {
        _services = services;
        var v1 = ReflectionReflection.Descriptor.Services[0];
        V1Definition = GrpcServiceDefinition.CreateBuilder(v1)
            .AddDuplexStreaming(new Method<ServerReflectionRequest, ServerReflectionResponse>(v1.Methods[0]), ServeAsync)
            .Build();
        var v1Alpha = V1Alpha.ReflectionReflection.Descriptor.Services[0];
        V1AlphaDefinition = GrpcServiceDefinition.CreateBuilder(v1Alpha)
            .AddDuplexStreaming(new Method<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>(v1Alpha.Methods[0]), ServeV1AlphaAsync)
            .Build();
    }

    public GrpcServiceDefinition V1Definition { get; }

    public GrpcServiceDefinition V1AlphaDefinition { get; }

    /// <summary>The answer to one request; <paramref name="sentFiles"/> holds the files this stream already carried.</summary>
    internal ServerReflectionResponse Answer(ServerReflectionRequest request, HashSet<string> sentFiles)
    {
        var index = CurrentIndex();
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                foreach (var name in index.ServiceNames)
                {
                    list.Service.Add(new ServiceResponse { Name = name });
                }
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.Files.GetValueOrDefault(request.FileByFilename), sentFiles, $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.Symbols.GetValueOrDefault(request.FileContainingSymbol), sentFiles, $"Symbol not found: {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFile(response, index.Extensions.GetValueOrDefault((extension.ContainingType, extension.ExtensionNumber)), sentFiles,
                    $"Extension not found: {extension.ContainingType} {extension.ExtensionNumber}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                var type = request.AllExtensionNumbersOfType;
                if (index.MessageTypes.Contains(type))
                {
                    var numbers = new ExtensionNumberResponse { BaseTypeName = type };
                    if (index.ExtensionNumbers.TryGetValue(type, out var known))
                    {
                        numbers.ExtensionNumber.Add(known);
                    }
                    response.AllExtensionNumbersResponse = numbers;
                }
                else
                {
                    response.ErrorResponse = Error(StatusCode.NotFound, $"Type not found: {type}");
                }
                break;
            default:
                response.ErrorResponse = Error(StatusCode.InvalidArgument, "The request names no reflection query.");
                break;
        }
        return response;
    }

    private async Task ServeAsync(IAsyncStreamReader<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        var sent = new HashSet<string>(StringComparer.Ordinal);
        while (await requests.MoveNextAsync())
        {
            await responses.WriteAsync(Answer(requests.Current, sent));
        }
    }

    // v1alpha has the same messages and field numbers as v1: convert through the bytes.
    private async Task ServeV1AlphaAsync(IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requests, IServerStreamWriter<V1Alpha.ServerReflectionResponse> responses, ServerCallContext context)
    {
        var sent = new HashSet<string>(StringComparer.Ordinal);
        while (await requests.MoveNextAsync())
        {
            var request = ServerReflectionRequest.Parser.ParseFrom(requests.Current.ToByteString());
            var answer = Answer(request, sent);
            await responses.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()));
        }
    }

    private static void SetFile(ServerReflectionResponse response, FileDescriptor? file, HashSet<string> sentFiles, string notFound)
    {
        if (file is null)
        {
            response.ErrorResponse = Error(StatusCode.NotFound, notFound);
            return;
        }
        var files = new FileDescriptorResponse();
        files.FileDescriptorProto.Add(file.SerializedData);
        sentFiles.Add(file.Name);
        AddDependencies(file, files, sentFiles);
        response.FileDescriptorResponse = files;
    }

    private static void AddDependencies(FileDescriptor file, FileDescriptorResponse files, HashSet<string> sentFiles)
    {
        foreach (var dependency in file.Dependencies)
        {
            if (sentFiles.Add(dependency.Name))
            {
                files.FileDescriptorProto.Add(dependency.SerializedData);
                AddDependencies(dependency, files, sentFiles);
            }
        }
    }

    private static ErrorResponse Error(StatusCode code, string message) => new() { ErrorCode = (int)code, ErrorMessage = message };

    private ReflectionIndex CurrentIndex()
    {
        var services = _services();
        var index = Volatile.Read(ref _index);
        if (index is null || index.ServiceCount != services.Count)
        {
            index = new ReflectionIndex(services);
            Volatile.Write(ref _index, index);
        }
        return index;
    }

    /// <summary>Every file reachable from the mapped services, and what each declares.</summary>
    private sealed class ReflectionIndex
    {
        public ReflectionIndex(IReadOnlyList<GrpcServiceDefinition> services)
        {
            ServiceCount = services.Count;
            foreach (var service in services)
            {
                ServiceNames.Add(service.Name);
                if (service.Descriptor is { } descriptor)
                {
                    AddFile(descriptor.File);
                }
            }
        }

        public int ServiceCount { get; }

        public List<string> ServiceNames { get; } = [];

        public Dictionary<string, FileDescriptor> Files { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, FileDescriptor> Symbols { get; } = new(StringComparer.Ordinal);

        public HashSet<string> MessageTypes { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Type, int Number), FileDescriptor> Extensions { get; } = [];

        public Dictionary<string, List<int>> ExtensionNumbers { get; } = new(StringComparer.Ordinal);

        private void AddFile(FileDescriptor file)
        {
            if (!Files.TryAdd(file.Name, file))
            {
                return;
            }
            foreach (var dependency in file.Dependencies)
            {
                AddFile(dependency);
            }
            foreach (var message in file.MessageTypes)
            {
                AddMessage(file, message);
            }
            foreach (var enumType in file.EnumTypes)
            {
                Symbols.TryAdd(enumType.FullName, file);
            }
            foreach (var service in file.Services)
            {
                Symbols.TryAdd(service.FullName, file);
                foreach (var method in service.Methods)
                {
                    Symbols.TryAdd(method.FullName, file);
                }
            }
            AddExtensions(file, file.Extensions.UnorderedExtensions);
        }

        private void AddMessage(FileDescriptor file, MessageDescriptor message)
        {
            Symbols.TryAdd(message.FullName, file);
            MessageTypes.Add(message.FullName);
            foreach (var nested in message.NestedTypes)
            {
                AddMessage(file, nested);
            }
            foreach (var enumType in message.EnumTypes)
            {
                Symbols.TryAdd(enumType.FullName, file);
            }
            AddExtensions(file, message.Extensions.UnorderedExtensions);
        }

        private void AddExtensions(FileDescriptor file, IList<FieldDescriptor> extensions)
        {
            foreach (var extension in extensions)
            {
                var extendee = extension.ExtendeeType.FullName;
                Symbols.TryAdd(extension.FullName, file);
                if (Extensions.TryAdd((extendee, extension.FieldNumber), file))
                {
                    if (!ExtensionNumbers.TryGetValue(extendee, out var numbers))
                    {
                        ExtensionNumbers[extendee] = numbers = [];
                    }
                    numbers.Add(extension.FieldNumber);
                }
            }
        }
    }
}
