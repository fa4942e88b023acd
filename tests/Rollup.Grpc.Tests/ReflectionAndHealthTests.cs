using Google.Protobuf.Reflection;
using Rollup.Grpc.Health.V1;
using Rollup.Grpc.Reflection.V1;
using Rollup.Grpc.Tests.Protos;
using ServingStatus = Rollup.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Rollup.Grpc.Tests;

/// <summary>Server reflection and the health service, called through our client on the shared server.</summary>
[Collection(SharedGrpcServer.Name)]
public sealed class ReflectionAndHealthTests(GrpcServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly Method<ServerReflectionRequest, ServerReflectionResponse> ReflectionV1 = new(ReflectionReflection.Descriptor.Services[0].Methods[0]);
    private static readonly Method<ServerReflectionRequest, ServerReflectionResponse> ReflectionV1Alpha =
        new(MethodType.DuplexStreaming, "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", ServerReflectionRequest.Parser, ServerReflectionResponse.Parser);

    private static readonly Method<HealthCheckRequest, HealthCheckResponse> Check = new(HealthReflection.Descriptor.Services[0].FindMethodByName("Check"));
    private static readonly Method<HealthCheckRequest, HealthCheckResponse> Watch = new(HealthReflection.Descriptor.Services[0].FindMethodByName("Watch"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reflection_ListServices_EveryMappedService(bool v1Alpha)
    {
        var response = Assert.Single(await AskAsync(v1Alpha ? ReflectionV1Alpha : ReflectionV1, new ServerReflectionRequest { ListServices = "" }));
        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Equal(
            ["rollup.grpc.test.TestService", "rollup.grpc.test.imports.Pinger", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
            names);
    }

    [Fact]
    public async Task Reflection_FileContainingSymbol_TheServiceFile()
    {
        var request = new ServerReflectionRequest { Host = "h", FileContainingSymbol = "rollup.grpc.test.TestService" };
        var response = Assert.Single(await AskAsync(ReflectionV1, request));
        Assert.Equal("h", response.ValidHost);
        Assert.Equal(request, response.OriginalRequest);
        var file = FileDescriptorProto.Parser.ParseFrom(Assert.Single(response.FileDescriptorResponse.FileDescriptorProto));
        Assert.Equal("test_service.proto", file.Name);
        Assert.Equal("rollup.grpc.test", file.Package);
        var service = Assert.Single(file.Service);
        Assert.Equal(["Echo", "Count", "Concat", "Chat", "WaitForCancel", "Fail", "Hold"], service.Method.Select(m => m.Name));
    }

    [Theory]
    [InlineData("rollup.grpc.test.TestService.Echo", "test_service.proto")]
    [InlineData("rollup.grpc.test.EchoReply", "test_service.proto")]
    [InlineData("grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto")]
    [InlineData("grpc.reflection.v1alpha.ServerReflection", "grpc/reflection/v1alpha/reflection.proto")]
    [InlineData("google.protobuf.Empty", "google/protobuf/empty.proto")]
    public async Task Reflection_Symbols_MethodsMessagesNestedEnums(string symbol, string fileName)
    {
        var response = Assert.Single(await AskAsync(ReflectionV1, new ServerReflectionRequest { FileContainingSymbol = symbol }));
        Assert.Equal(fileName, FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]).Name);
    }

    [Fact]
    public async Task Reflection_FileWithImports_DependenciesOncePerStream()
    {
        var responses = await AskAsync(
            ReflectionV1,
            new ServerReflectionRequest { FileContainingSymbol = "rollup.grpc.test.imports.Pinger" },
            new ServerReflectionRequest { FileByFilename = "with_imports.proto" });
        var first = responses[0].FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b).Name);
        Assert.Equal(["with_imports.proto", "google/protobuf/empty.proto"], first);
        var second = responses[1].FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b).Name);
        Assert.Equal(["with_imports.proto"], second);
    }

    [Fact]
    public async Task Reflection_FileByFilename_HealthProto()
    {
        var response = Assert.Single(await AskAsync(ReflectionV1, new ServerReflectionRequest { FileByFilename = "grpc/health/v1/health.proto" }));
        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc.health.v1", file.Package);
        Assert.Equal("Health", Assert.Single(file.Service).Name);
    }

    [Fact]
    public async Task Reflection_UnknownNames_NotFoundErrorsAndTheStreamGoesOn()
    {
        var responses = await AskAsync(
            ReflectionV1,
            new ServerReflectionRequest { FileByFilename = "nope.proto" },
            new ServerReflectionRequest { FileContainingSymbol = "no.Such.Symbol" },
            new ServerReflectionRequest { FileContainingExtension = new ExtensionRequest { ContainingType = "rollup.grpc.test.EchoRequest", ExtensionNumber = 100 } },
            new ServerReflectionRequest { AllExtensionNumbersOfType = "no.Such.Type" },
            new ServerReflectionRequest { AllExtensionNumbersOfType = "rollup.grpc.test.EchoRequest" },
            new ServerReflectionRequest());
        Assert.All(responses.Take(4), r => Assert.Equal((int)StatusCode.NotFound, r.ErrorResponse.ErrorCode));
        Assert.Equal("rollup.grpc.test.EchoRequest", responses[4].AllExtensionNumbersResponse.BaseTypeName);
        Assert.Empty(responses[4].AllExtensionNumbersResponse.ExtensionNumber);
        Assert.Equal((int)StatusCode.InvalidArgument, responses[5].ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task Health_Check_ServerServingUnknownNotFoundSetStatusSeen()
    {
        Assert.Equal(ServingStatus.Serving, (await fixture.Channel.UnaryAsync(Check, new HealthCheckRequest())).Status);
        var name = "svc-" + Guid.NewGuid();
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(Check, new HealthCheckRequest { Service = name }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        fixture.Server.Health.SetStatus(name, ServingStatus.NotServing);
        Assert.Equal(ServingStatus.NotServing, (await fixture.Channel.UnaryAsync(Check, new HealthCheckRequest { Service = name })).Status);
        fixture.Server.Health.ClearStatus(name);
        await Assert.ThrowsAsync<RpcException>(() => fixture.Channel.UnaryAsync(Check, new HealthCheckRequest { Service = name }));
    }

    [Fact]
    public async Task Health_Watch_CurrentStatusThenEveryChange()
    {
        var name = "watched-" + Guid.NewGuid();
        var health = fixture.Server.Health;
        using var call = fixture.Channel.ServerStreaming(Watch, new HealthCheckRequest { Service = name });
        Assert.True(await call.ResponseStream.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);
        health.SetStatus(name, ServingStatus.Serving);
        Assert.True(await call.ResponseStream.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);
        health.SetStatus(name, ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Health_ServerStops_WatchSeesNotServingThenEndsAndDoesNotHoldTheShutdown()
    {
        await using var server = new GrpcServer(new GrpcServerOptions { EnableReflection = false, ShutdownTimeout = TimeSpan.FromSeconds(30) }, []);
        await server.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = channel.ServerStreaming(Watch, new HealthCheckRequest());
        Assert.True(await call.ResponseStream.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);
        var stopping = server.StopAsync();
        Assert.True(await call.ResponseStream.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
        Assert.False(await call.ResponseStream.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        // Well inside the 30 s shutdown timeout: the open watch did not hold the server up.
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<List<ServerReflectionResponse>> AskAsync(Method<ServerReflectionRequest, ServerReflectionResponse> method, params ServerReflectionRequest[] requests)
    {
        using var call = fixture.Channel.DuplexStreaming(method, CallOptions.WithTimeout(Patience));
        var responses = new List<ServerReflectionResponse>();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
            Assert.True(await call.ResponseStream.MoveNextAsync());
            responses.Add(call.ResponseStream.Current);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNextAsync());
        return responses;
    }
}
