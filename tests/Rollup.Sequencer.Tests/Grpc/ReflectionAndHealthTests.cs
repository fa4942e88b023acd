using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Rollup.Testing;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>Server reflection (Grpc.AspNetCore.Server.Reflection) and health (Grpc.AspNetCore.HealthChecks) as the node maps them.</summary>
[Collection(SharedGrpcServer.Name)]
public sealed class ReflectionAndHealthTests(GrpcServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly string[] Mapped =
        ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "rollup.grpc.test.TestService", "rollup.grpc.test.imports.Pinger"];

    [Fact]
    public async Task Reflection_ListServices_EveryMappedService()
    {
        var response = Assert.Single(await AskAsync(new ServerReflectionRequest { ListServices = "" }));
        Assert.Equal(Mapped, response.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reflection_V1Alpha_ListsTheSameServices()
    {
        using var call = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(fixture.Channel).ServerReflectionInfo(deadline: DateTime.UtcNow + Patience);
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(Mapped, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Reflection_FileContainingSymbol_TheServiceFile()
    {
        var response = Assert.Single(await AskAsync(new ServerReflectionRequest { FileContainingSymbol = "rollup.grpc.test.TestService" }));
        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("test_service.proto", file.Name);
        Assert.Equal("rollup.grpc.test", file.Package);
        var service = Assert.Single(file.Service);
        Assert.Equal(["Echo", "Count", "Concat", "Chat", "WaitForCancel", "Fail", "Hold"], service.Method.Select(m => m.Name));
    }

    [Theory]
    [InlineData("rollup.grpc.test.TestService.Echo", "test_service.proto")]
    [InlineData("rollup.grpc.test.EchoReply", "test_service.proto")]
    [InlineData("rollup.grpc.test.imports.Pinger", "with_imports.proto")]
    public async Task Reflection_Symbols_MethodsMessagesServices(string symbol, string fileName)
    {
        var response = Assert.Single(await AskAsync(new ServerReflectionRequest { FileContainingSymbol = symbol }));
        Assert.Equal(fileName, FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]).Name);
    }

    [Fact]
    public async Task Reflection_UnknownSymbol_NotFoundAndTheStreamGoesOn()
    {
        var responses = await AskAsync(
            new ServerReflectionRequest { FileContainingSymbol = "no.Such.Symbol" },
            new ServerReflectionRequest { FileByFilename = "nope.proto" },
            new ServerReflectionRequest { ListServices = "" });
        Assert.All(responses.Take(2), r => Assert.Equal((int)StatusCode.NotFound, r.ErrorResponse.ErrorCode));
        Assert.NotEmpty(responses[2].ListServicesResponse.Service);
    }

    [Fact]
    public async Task Health_Check_ServerServingUnknownServiceNotFound()
    {
        var health = new Health.HealthClient(fixture.Channel);
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await health.CheckAsync(new HealthCheckRequest { Service = "svc-" + Guid.NewGuid() }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Health_ServerStops_WatchSeesNotServingThenEndsAndDoesNotHoldTheShutdown()
    {
        await using var server = await GrpcServerFixture.StartAsync(new TestServiceImpl(), new ApiTestHostOptions { ShutdownTimeout = TimeSpan.FromSeconds(30) });
        using var channel = server.CreateChannel();
        using var call = new Health.HealthClient(channel).Watch(new HealthCheckRequest());
        Assert.True(await call.ResponseStream.MoveNext().WaitAsync(Patience));
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);
        var stopping = server.StopAsync();
        Assert.True(await call.ResponseStream.MoveNext().WaitAsync(Patience));
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
        Assert.False(await call.ResponseStream.MoveNext().WaitAsync(Patience));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        // Well inside the 30 s shutdown timeout: the open watch did not hold the server up.
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<List<ServerReflectionResponse>> AskAsync(params ServerReflectionRequest[] requests)
    {
        using var call = new ServerReflection.ServerReflectionClient(fixture.Channel).ServerReflectionInfo(deadline: DateTime.UtcNow + Patience);
        var responses = new List<ServerReflectionResponse>();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
            Assert.True(await call.ResponseStream.MoveNext());
            responses.Add(call.ResponseStream.Current);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
        return responses;
    }
}
