using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>
/// A JSON-RPC 2.0 client for an Ethereum L1 node over HTTP. Every request has a timeout; the caller's
/// cancellation is honoured and surfaces as <see cref="OperationCanceledException"/>. Failures are one of:
/// <see cref="L1UnavailableException"/> (no answer: retry later), <see cref="L1RpcException"/> (the node's
/// JSON-RPC error; <see cref="L1CallRevertedException"/> for a revert), <see cref="L1ProtocolException"/>
/// (an answer that is not JSON-RPC of the expected shape). Thread-safe.
/// </summary>
public sealed partial class L1RpcClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _nextId;

    /// <summary>A client with its own HttpClient.</summary>
    public L1RpcClient(Uri endpoint, TimeSpan? timeout = null)
        : this(new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan }, endpoint, timeout, ownsHttp: true)
    {
    }

    /// <summary>A client over the caller's HttpClient (not disposed with the client).</summary>
    public L1RpcClient(HttpClient http, Uri endpoint, TimeSpan? timeout = null)
        : this(http, endpoint, timeout, ownsHttp: false)
    {
    }

    private L1RpcClient(HttpClient http, Uri endpoint, TimeSpan? timeout, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        Endpoint = endpoint;
        Timeout = timeout ?? DefaultTimeout;
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the timeout must be positive");
        }
    }

    public Uri Endpoint { get; }

    /// <summary>How long one request may take, from sending to the end of the answer.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Sends one request and returns its <c>result</c> (JSON null included); an error object throws.</summary>
    public async Task<JsonElement> RequestAsync(string method, IReadOnlyList<JsonNode?> parameters, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = method,
            ["params"] = new JsonArray(parameters.Select(p => p?.DeepClone()).ToArray()),
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        HttpStatusCode status;
        string body;
        try
        {
            using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(Endpoint, content, deadline.Token);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new L1UnavailableException($"{method}: no answer from {Endpoint} within {Timeout.TotalSeconds:0.###} s", e) { Method = method };
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new L1UnavailableException($"{method}: cannot reach {Endpoint}: {e.Message}", e) { Method = method };
        }
        return Interpret(method, id, status, body);
    }

    private JsonElement Interpret(string method, long id, HttpStatusCode status, string body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw IsOutage(status)
                ? new L1UnavailableException($"{method}: {Endpoint} answered HTTP {(int)status} {status}: {RpcJson.Truncate(body)}", e) { Method = method }
                : new L1ProtocolException($"{method}: {Endpoint} answered HTTP {(int)status} with a body that is not JSON: {RpcJson.Truncate(body)}", e) { Method = method };
        }
        // An overloaded or failing server is an outage even when it words it as a JSON-RPC error (429 with "rate limited").
        if (IsOutage(status))
        {
            throw new L1UnavailableException($"{method}: {Endpoint} answered HTTP {(int)status} {status}: {RpcJson.Truncate(body)}") { Method = method };
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            throw RpcError(method, error);
        }
        if (status != HttpStatusCode.OK)
        {
            throw new L1ProtocolException($"{method}: {Endpoint} answered HTTP {(int)status} {status}: {RpcJson.Truncate(body)}") { Method = method };
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("result", out var result))
        {
            throw new L1ProtocolException($"{method}: the answer has neither 'result' nor 'error': {RpcJson.Truncate(body)}") { Method = method };
        }
        if (!root.TryGetProperty("id", out var answerId) || answerId.ValueKind != JsonValueKind.Number || !answerId.TryGetInt64(out var number) || number != id)
        {
            throw new L1ProtocolException($"{method}: the answer's id is not the request's ({id}): {RpcJson.Truncate(body)}") { Method = method };
        }
        return result;
    }

    private static L1RpcException RpcError(string method, JsonElement error)
    {
        var code = error.TryGetProperty("code", out var codeJson) && codeJson.TryGetInt32(out var c) ? c : 0;
        var message = error.TryGetProperty("message", out var messageJson) && messageJson.ValueKind == JsonValueKind.String ? messageJson.GetString()! : "";
        string? dataJson = null;
        byte[]? data = null;
        if (error.TryGetProperty("data", out var dataElement) && dataElement.ValueKind != JsonValueKind.Null)
        {
            dataJson = dataElement.GetRawText();
            var text = dataElement.ValueKind == JsonValueKind.String ? dataElement.GetString() : null;
            if (text is not null && text.StartsWith("0x", StringComparison.Ordinal) && Hex.TryParse(text, out var bytes))
            {
                data = bytes;
            }
        }
        // Geth and anvil answer a revert with code 3 and the revert data; some nodes use -32000 and the message only.
        if (code == 3 || message.StartsWith("execution reverted", StringComparison.OrdinalIgnoreCase))
        {
            var reason = RevertReason.Decode(data ?? []);
            return new L1CallRevertedException(L1CallRevertedException.Describe(method, reason))
            {
                Method = method,
                Code = code,
                RpcMessage = message,
                ErrorData = data,
                ErrorDataJson = dataJson,
                Reason = reason,
            };
        }
        var shownData = dataJson is null ? "" : $" (data {RpcJson.Truncate(dataJson)})";
        return new L1RpcException($"{method}: error {code}: {message}{shownData}")
        {
            Method = method,
            Code = code,
            RpcMessage = message,
            ErrorData = data,
            ErrorDataJson = dataJson,
        };
    }

    /// <summary>HTTP statuses that mean "not now": request timeout, rate limited, server errors and gateways.</summary>
    private static bool IsOutage(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
