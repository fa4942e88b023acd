using System.Text.RegularExpressions;
using Rollup.Execution.Blocks;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// docs/statuses.md lists every admission and receipt code the code has, with the same number and name, and nothing else;
/// beside each receipt code, the very sentence a receipt gives as its reason.
/// </summary>
public sealed partial class StatusTableTests
{
    private static readonly string Doc = File.ReadAllText(RepositoryPaths.Combine("docs", "statuses.md"));

    [Fact]
    public void AdmissionTable_IsSubmitStatus() => Assert.Equal(CodesOf<SubmitStatus>(), Table("## Admission"));

    [Fact]
    public void ExecutionTable_IsTxStatus() => Assert.Equal(CodesOf<TxStatus>(), Table("## Execution"));

    [Fact]
    public void ExecutionTable_ReasonColumn_IsTheSentenceEachReceiptGives()
    {
        var documented = ReasonRow().Matches(Section("## Execution")).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        foreach (var status in Enum.GetValues<TxStatus>())
        {
            Assert.True(documented.TryGetValue(status.ToString(), out var sentence), $"docs/statuses.md gives {status} no reason");
            Assert.Equal(sentence, TxStatusReasons.Of(status));
        }
    }

    [Fact]
    public void EveryReason_IsASentence_NotTheStatusName()
    {
        var reasons = Enum.GetValues<TxStatus>().Select(TxStatusReasons.Of).ToList();
        Assert.All(reasons, r => Assert.Matches(@"^[A-Z].* .*\.$", r));
        Assert.All(Enum.GetValues<TxStatus>(), s => Assert.NotEqual(s.ToString(), TxStatusReasons.Of(s)));
        Assert.Equal(reasons.Count, reasons.Distinct().Count());
    }

    private static List<(int, string)> CodesOf<T>()
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(v => (Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v.ToString())).OrderBy(c => c.Item1)];

    /// <summary>The (code, name) rows of the table under <paramref name="heading"/>, up to the next heading.</summary>
    private static List<(int, string)> Table(string heading) =>
        [.. Row().Matches(Section(heading)).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value))];

    private static string Section(string heading)
    {
        var start = Doc.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/statuses.md has no '{heading}'");
        var end = Doc.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? Doc[start..] : Doc[start..end];
    }

    [GeneratedRegex(@"^\| \d+ \| (\w+) \| .*? \| ([^|]+?) \|$", RegexOptions.Multiline)]
    private static partial Regex ReasonRow();

    [GeneratedRegex(@"^\| (\d+) \| (\w+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
