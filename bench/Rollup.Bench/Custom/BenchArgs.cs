using System.Globalization;

namespace Rollup.Bench.Custom;

/// <summary>
/// The <c>--name value</c> (or <c>--name=value</c>) options of a custom benchmark subcommand. Unknown
/// names are refused, so a typo does not silently run the defaults for minutes.
/// </summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private BenchArgs()
    {
    }

    public static bool TryParse(ReadOnlySpan<string> args, IReadOnlyCollection<string> known, out BenchArgs parsed, out string error)
    {
        parsed = new BenchArgs();
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                error = $"options: {string.Join(", ", known.Select(k => "--" + k))} (each takes a value)";
                return false;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return false;
            }
            var name = arg[2..];
            string value;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                error = $"--{name} needs a value";
                return false;
            }
            if (!known.Contains(name))
            {
                error = $"unknown option --{name} (known: {string.Join(", ", known.Select(k => "--" + k))})";
                return false;
            }
            parsed._values[name] = value;
        }
        return true;
    }

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var value) ? ParseInt(value) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => _values.TryGetValue(name, out var value) ? value : fallback;

    /// <summary>A comma-separated list of counts; each may use _ separators or an exponent (1e6, 3e6).</summary>
    public int[] Ints(string name, int[] fallback) =>
        _values.TryGetValue(name, out var value)
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseInt)]
            : fallback;

    private static int ParseInt(string text)
    {
        text = text.Replace("_", "", StringComparison.Ordinal);
        return text.Contains('e', StringComparison.OrdinalIgnoreCase)
            ? checked((int)double.Parse(text, CultureInfo.InvariantCulture))
            : int.Parse(text, CultureInfo.InvariantCulture);
    }
}
