using System.Text.Json;
using Grpc.Core;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>
/// Clients no one here wrote against the node's grpc-dotnet hosting on real Kestrel: grpcio (Debian's
/// python3-grpcio, run with /usr/bin/python3) and @grpc/grpc-js (npm, installed by scripts/setup). Each script
/// runs its checks against a server on a free loopback port and prints one JSON object of results.
/// </summary>
public sealed class PythonInteropTests(GrpcServerFixture fixture, ITestOutputHelper output) : IClassFixture<GrpcServerFixture>
{
    [Fact]
    public async Task Grpcio_AllChecks_Pass()
    {
        var (results, key) = await Interop.RunClientAsync(fixture, "/usr/bin/python3", "client.py");
        output.WriteLine(results.ToString());

        Assert.Equal("from python", results.Check("unary").GetProperty("text").GetString());
        Assert.Equal("0001ff", results.Check("unary").GetProperty("payload").GetString());
        Assert.Equal(10000, results.Check("unary_gzip").GetProperty("length").GetInt32());
        Assert.Equal([0, 1, 2, 3, 4], results.Check("server_streaming").GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("a,b,c", results.Check("client_streaming").GetProperty("text").GetString());
        Assert.Equal(["x", "y"], results.Check("duplex").GetProperty("texts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("DEADLINE_EXCEEDED", results.Check("deadline").GetProperty("code").GetString());
        Assert.Equal("UNIMPLEMENTED", results.Check("unknown_method").GetProperty("code").GetString());
        Assert.Equal("UNIMPLEMENTED", results.Check("unknown_service").GetProperty("code").GetString());
        Assert.Equal("NOT_FOUND", results.Check("error_detail").GetProperty("code").GetString());
        Assert.Equal("déjà 100% vu", results.Check("error_detail").GetProperty("details").GetString());
        var reflection = results.Check("reflection");
        Assert.Contains("rollup.grpc.test.TestService", reflection.GetProperty("services").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("grpc.health.v1.Health", reflection.GetProperty("services").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["test_service.proto"], reflection.GetProperty("files").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("WaitForCancel", reflection.GetProperty("methods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("via reflection", reflection.GetProperty("echo").GetString());
        Assert.Equal((int)StatusCode.NotFound, reflection.GetProperty("missing_error_code").GetInt32());
        await Interop.AssertHandlerCanceledAsync(fixture, key);
    }
}

public sealed class NodeInteropTests(GrpcServerFixture fixture, ITestOutputHelper output) : IClassFixture<GrpcServerFixture>
{
    [Fact]
    public async Task GrpcJs_AllChecks_Pass()
    {
        var (results, key) = await Interop.RunClientAsync(fixture, "node", "client.mjs");
        output.WriteLine(results.ToString());

        Assert.Equal("from node", results.Check("unary").GetProperty("text").GetString());
        Assert.Equal("0001ff", results.Check("unary").GetProperty("payload").GetString());
        Assert.Equal(10000, results.Check("unary_gzip").GetProperty("length").GetInt32());
        Assert.Equal([0, 1, 2, 3, 4], results.Check("server_streaming").GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("a,b,c", results.Check("client_streaming").GetProperty("text").GetString());
        Assert.Equal(["x", "y"], results.Check("duplex").GetProperty("texts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((int)StatusCode.DeadlineExceeded, results.Check("deadline").GetProperty("code").GetInt32());
        Assert.Equal((int)StatusCode.Unimplemented, results.Check("unknown_method").GetProperty("code").GetInt32());
        Assert.Equal((int)StatusCode.NotFound, results.Check("error_detail").GetProperty("code").GetInt32());
        Assert.Equal("déjà 100% vu", results.Check("error_detail").GetProperty("details").GetString());
        Assert.Equal("expected", results.Check("error_detail").GetProperty("trailer").GetString());
        var reflection = results.Check("reflection");
        Assert.Contains("rollup.grpc.test.TestService", reflection.GetProperty("services").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("grpc.reflection.v1.ServerReflection", reflection.GetProperty("services").EnumerateArray().Select(e => e.GetString()));
        Assert.True(reflection.GetProperty("file_bytes").GetInt32() > 0);
        Assert.Equal((int)StatusCode.NotFound, reflection.GetProperty("missing_error_code").GetInt32());
        Assert.Equal("SERVING", results.Check("health").GetProperty("status").GetString());
        await Interop.AssertHandlerCanceledAsync(fixture, key);
    }
}

internal static class Interop
{
    /// <summary>Runs an interop client to completion (killed with its children if it hangs) and returns its JSON results.</summary>
    public static async Task<JsonElement> RunAsync(string program, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(program, arguments, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"{program} exited {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Runs one of tests/interop/grpc's clients against the fixture's server with the test protos, the standard
    /// descriptors and a fresh deadline key; returns its results and the key.
    /// </summary>
    public static async Task<(JsonElement Results, string DeadlineKey)> RunClientAsync(GrpcServerFixture fixture, string program, string script)
    {
        var key = Guid.NewGuid().ToString();
        using var directory = new TempDirectory("rollup-grpc-interop");
        var results = await RunAsync(
            program,
            RepositoryPaths.Combine("tests", "interop", "grpc", script),
            "--target", $"127.0.0.1:{fixture.Server.Port}",
            "--protos", RepositoryPaths.Combine("tests", "Rollup.Sequencer.Tests", "Grpc", "Protos"),
            "--grpc-descriptors", StandardProtos.WriteDescriptorSet(directory),
            "--deadline-key", key);
        return (results, key);
    }

    /// <summary>
    /// If the deadline call reached its handler (a loaded machine may see the client give up first),
    /// the handler was canceled: by the server's deadline timer or the client's RST_STREAM.
    /// </summary>
    public static async Task AssertHandlerCanceledAsync(GrpcServerFixture fixture, string key)
    {
        if (fixture.Service.StartOf(key).IsCompleted)
        {
            Assert.True(await fixture.Service.CancellationOf(key).WaitAsync(TimeSpan.FromSeconds(20)) is "deadline" or "client");
        }
    }

    public static JsonElement Check(this JsonElement results, string name)
    {
        Assert.True(results.TryGetProperty(name, out var check), $"no result for {name}: {results}");
        Assert.True(check.GetProperty("ok").GetBoolean(), $"{name} failed: {check}");
        return check;
    }
}
