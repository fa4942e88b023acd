using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Rollup.Proto.V1;
using Rollup.Testing;

namespace Rollup.Node.Tests;

public class NodeServingTests
{
    [Fact]
    public async Task Node_Started_ServesApiAndPrometheusMetricsAndStopsOnSigterm()
    {
        using var data = new TempDirectory("rollup-serve");
        using var node = await NodeProcess.StartAsync(data.Path);
        using var channel = GrpcChannel.ForAddress(node.Address);
        var root = await new Query.QueryClient(channel).GetStateRootAsync(new GetStateRootRequest());
        Assert.Equal(32, root.StateRoot_.Length);

        var noSuchMethod = new Method<GetStateRootRequest, StateRoot>(MethodType.Unary, "rollup.v1.Query", "NoSuchMethod", Marshallers.Create(r => r.ToByteArray(), GetStateRootRequest.Parser.ParseFrom), Marshallers.Create(r => r.ToByteArray(), StateRoot.Parser.ParseFrom));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await channel.CreateCallInvoker().AsyncUnaryCall(noSuchMethod, null, default, new GetStateRootRequest()));
        Assert.Equal(StatusCode.Unimplemented, unknown.StatusCode);

        // Reflection lists what the node maps (what grpcurl's "list" shows).
        using var reflection = new Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" });
        Assert.True(await reflection.ResponseStream.MoveNext());
        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "rollup.v1.Query", "rollup.v1.Streams", "rollup.v1.Submission"],
            reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
        await reflection.RequestStream.CompleteAsync();

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{node.MetricsPort}/metrics"));
        Assert.Contains("# TYPE rollup_admission_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("rollup_pending_transactions 0", metrics, StringComparison.Ordinal);

        Assert.Equal(0, await node.StopAsync());
        Assert.Contains("node stopping", node.Output, StringComparison.Ordinal);
        // Calls are not logged one by one (ASP.NET Core's and grpc-dotnet's per-request lines are at Information).
        Assert.DoesNotContain("Request starting", node.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Executing endpoint", node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_DevDeposits_CreditedOnceOnAFreshChain()
    {
        using var data = new TempDirectory("rollup-dev-deposits");
        var account = ChainFlowGenerator.AddressOf(5);
        var settings = new Dictionary<string, string> { ["ROLLUP__NODE__DEVDEPOSITS__0"] = $"{account}:123456" };
        for (var start = 0; start < 2; start++)
        {
            using var node = await NodeProcess.StartAsync(data.Path, settings);
            using var channel = GrpcChannel.ForAddress(node.Address);
            var query = new Query.QueryClient(channel);
            var request = new GetAccountRequest { Account = ByteString.CopyFrom(account.Bytes) };
            Account? state = null;
            // Readiness: the deposit lands with the next block, within a second or so.
            for (var attempt = 0; attempt < 200 && state is null; attempt++)
            {
                try
                {
                    state = await query.GetAccountAsync(request);
                }
                catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
                {
                    await Task.Delay(25);
                }
            }
            Assert.NotNull(state);
            Assert.Equal(123456, state.FreeBalance); // a restart does not credit again
            Assert.Equal(0, await node.StopAsync());
        }
    }

    [Fact]
    public async Task Node_MissingTlsCertificate_RefusesToStartNamingTheSetting()
    {
        using var data = new TempDirectory("rollup-tls");
        var settings = new Dictionary<string, string> { ["ROLLUP__NODE__TLSCERTIFICATEPATH"] = data.Combine("missing.pfx") };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NodeProcess.StartAsync(data.Path, settings));
        Assert.Contains("exited with 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Node:TlsCertificatePath not found", error.Message, StringComparison.Ordinal);
    }
}
