using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rollup.Bridge.Tests.L1;

/// <summary>
/// A real HTTP/1.1 server on a loopback port that answers every request with one canned status and body,
/// or (with a null answer) accepts the connection and never answers: what anvil cannot be made to do.
/// </summary>
internal sealed class CannedHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;

    public CannedHttpServer(int? status, string body = "")
    {
        _listener.Start();
        _accepting = AcceptAsync(status, body);
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task AcceptAsync(int? status, string body)
    {
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(connection);
                }
                if (status is { } code)
                {
                    _ = AnswerAsync(connection, code, body);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AnswerAsync(TcpClient connection, int status, string body)
    {
        var stream = connection.GetStream();
        await ReadRequestAsync(stream);
        var payload = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} Canned\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
        await stream.WriteAsync(payload, _stop.Token);
        await stream.FlushAsync(_stop.Token);
        connection.Client.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Reads the headers and the Content-Length body, so the client is done sending before it is answered.</summary>
    private async Task ReadRequestAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }
            received.AddRange(buffer.AsSpan(0, read));
        }
        var headers = Encoding.ASCII.GetString(received.ToArray(), 0, headerEnd);
        var lengthLine = headers.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        while (received.Count < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }
            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait();
        }
        catch (AggregateException)
        {
            // the accept loop ends with the listener
        }
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
        _stop.Dispose();
    }
}
