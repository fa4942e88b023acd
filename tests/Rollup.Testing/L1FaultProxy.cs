using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rollup.Testing;

/// <summary>What can go wrong between a client and its L1 node.</summary>
public enum L1Fault
{
    /// <summary>The connection closes with no answer.</summary>
    Drop,

    /// <summary>The answer comes, late (<see cref="L1FaultProxy.Delay"/>).</summary>
    Delay,

    /// <summary>HTTP 503 with an HTML body, as a load balancer answers.</summary>
    ServerError,

    /// <summary>The first half of the node's JSON answer, then the connection ends.</summary>
    Truncated,

    /// <summary>An earlier answer to the same method and parameters (a lagging replica behind a load balancer).</summary>
    Stale,
}

/// <summary>
/// A JSON-RPC proxy of our own on 127.0.0.1 in front of an L1 node (anvil), that makes a seeded share of the requests
/// fail in the ways an RPC provider does: dropped connections, delays, 5xx, truncated JSON, stale answers. Faults are
/// switched on and off while clients run through it; the proxy counts what it did.
/// </summary>
public sealed class L1FaultProxy : IAsyncDisposable
{
    private const L1Fault Forward = (L1Fault)(-1);
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _target;
    private readonly ConcurrentDictionary<string, string> _lastAnswers = new();
    private readonly ConcurrentDictionary<L1Fault, int> _counts = new();
    private readonly Lock _randomLock = new();
    private readonly Random _random;
    private volatile FaultSetting _setting = new(0, [], null);

    private L1FaultProxy(WebApplication app, Uri target, int seed)
    {
        _app = app;
        _target = target;
        _random = new Random(seed);
    }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>How late a <see cref="L1Fault.Delay"/> answer comes.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Requests answered as the node answered them.</summary>
    public int Forwarded => _counts.GetValueOrDefault(Forward);

    public int Count(L1Fault fault) => _counts.GetValueOrDefault(fault);

    public static async Task<L1FaultProxy> StartAsync(Uri target, int seed = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var proxy = new L1FaultProxy(app, target, seed);
        app.MapPost("/", proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First() : throw new InvalidOperationException("no server");
        proxy.Endpoint = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return proxy;
    }

    /// <summary>From now on each request meets one of <paramref name="faults"/> with <paramref name="probability"/>.</summary>
    public void Inject(double probability, params L1Fault[] faults) => _setting = new FaultSetting(probability, faults, null);

    /// <summary>As <see cref="Inject(double, L1Fault[])"/>, for requests of one JSON-RPC method only.</summary>
    public void InjectInto(string method, double probability, params L1Fault[] faults) => _setting = new FaultSetting(probability, faults, method);

    public void Heal() => _setting = new FaultSetting(0, [], null);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var (id, key, method) = Describe(body);
        var fault = Pick(method);
        switch (fault)
        {
            case L1Fault.Drop:
                Counted(fault);
                context.Abort();
                return;
            case L1Fault.ServerError:
                Counted(fault);
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("<html><body>503 Service Temporarily Unavailable</body></html>");
                return;
            case L1Fault.Stale when key is not null && _lastAnswers.TryGetValue(key, out var stale):
                Counted(fault);
                await Answer(context, WithId(stale, id));
                return;
            case L1Fault.Delay:
                Counted(fault);
                await Task.Delay(Delay);
                break;
        }
        using var forwarded = await _upstream.PostAsync(_target, new StringContent(body, Encoding.UTF8, "application/json"));
        var answer = await forwarded.Content.ReadAsStringAsync();
        if (key is not null && forwarded.IsSuccessStatusCode && !_lastAnswers.ContainsKey(key))
        {
            _lastAnswers[key] = answer; // the first answer: later stale ones are as old as they can be
        }
        if (fault == L1Fault.Truncated)
        {
            Counted(fault);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer[..(answer.Length / 2)]);
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }
        Counted(null);
        context.Response.StatusCode = (int)forwarded.StatusCode;
        await Answer(context, answer);
    }

    private static async Task Answer(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    private L1Fault? Pick(string? method)
    {
        var setting = _setting;
        if (setting.Faults.Length == 0 || (setting.Method is not null && setting.Method != method))
        {
            return null;
        }
        lock (_randomLock)
        {
            return _random.NextDouble() < setting.Probability ? setting.Faults[_random.Next(setting.Faults.Length)] : null;
        }
    }

    private void Counted(L1Fault? fault) => _counts.AddOrUpdate(fault ?? Forward, 1, (_, n) => n + 1);

    /// <summary>The request's id and, for a single call, its method and parameters (what a stale answer is matched by).</summary>
    private static (JsonNode? Id, string? Key, string? Method) Describe(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject call)
            {
                var method = call["method"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : null;
                return (call["id"]?.DeepClone(), call["method"]?.ToJsonString() + (call["params"]?.ToJsonString() ?? ""), method);
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return (null, null, null);
    }

    private static string WithId(string answer, JsonNode? id)
    {
        var node = JsonNode.Parse(answer)!.AsObject();
        node["id"] = id?.DeepClone();
        return node.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private sealed record FaultSetting(double Probability, L1Fault[] Faults, string? Method);
}
