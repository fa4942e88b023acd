using System.Globalization;

namespace Rollup.Testing;

/// <summary>Reads one sample of a node's Prometheus text at <c>/metrics</c> on 127.0.0.1.</summary>
public static class NodeMetrics
{
    /// <summary>The value of the unlabelled sample <paramref name="name"/>, or -1 when the node does not have it or is not answering.</summary>
    public static async Task<double> ReadAsync(HttpClient http, int port, string name)
    {
        ArgumentNullException.ThrowIfNull(http);
        string text;
        try
        {
            text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        }
        catch (HttpRequestException)
        {
            return -1;
        }
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }
}
