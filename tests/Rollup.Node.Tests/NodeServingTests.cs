using Rollup.Grpc;
using Rollup.Proto.V1;
using Rollup.Sequencer.Api;
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
        var root = await channel.UnaryAsync(ApiServices.Method<GetStateRootRequest, StateRoot>(ApiServices.Query, "GetStateRoot"), new GetStateRootRequest());
        Assert.Equal(32, root.StateRoot_.Length);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(
            new Method<GetStateRootRequest, StateRoot>(MethodType.Unary, "rollup.v1.Query", "NoSuchMethod", GetStateRootRequest.Parser, StateRoot.Parser), new GetStateRootRequest()));
        Assert.Equal(StatusCode.Unimplemented, unknown.StatusCode);

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{node.MetricsPort}/metrics"));
        Assert.Contains("# TYPE rollup_admission_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("rollup_pending_transactions 0", metrics, StringComparison.Ordinal);

        Assert.Equal(0, await node.StopAsync());
        Assert.Contains("node stopping", node.Output, StringComparison.Ordinal);
    }
}
