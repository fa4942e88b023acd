using System.Text.RegularExpressions;
using Rollup.Execution.Blocks;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>docs/statuses.md lists every admission and receipt code the code has, with the same number and name, and nothing else.</summary>
public sealed partial class StatusTableTests
{
    private static readonly string Doc = File.ReadAllText(RepositoryPaths.Combine("docs", "statuses.md"));

    [Fact]
    public void AdmissionTable_IsSubmitStatus() => Assert.Equal(CodesOf<SubmitStatus>(), Table("## Admission"));

    [Fact]
    public void ExecutionTable_IsTxStatus() => Assert.Equal(CodesOf<TxStatus>(), Table("## Execution"));

    private static List<(int, string)> CodesOf<T>()
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(v => (Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v.ToString())).OrderBy(c => c.Item1)];

    /// <summary>The (code, name) rows of the table under <paramref name="heading"/>, up to the next heading.</summary>
    private static List<(int, string)> Table(string heading)
    {
        var start = Doc.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/statuses.md has no '{heading}'");
        var end = Doc.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        var section = end < 0 ? Doc[start..] : Doc[start..end];
        return [.. Row().Matches(section).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value))];
    }

    [GeneratedRegex(@"^\| (\d+) \| (\w+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
