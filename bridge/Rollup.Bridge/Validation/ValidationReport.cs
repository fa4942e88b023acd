namespace Rollup.Bridge.Validation;

/// <summary>The verdict on one committed batch: agreed, or each disagreement in words, with the markets at fault.</summary>
public sealed record ValidationReport(ulong BatchIndex, ulong FirstBlock, ulong LastBlock, IReadOnlyList<string> Mismatches, IReadOnlyList<uint> FaultyMarkets)
{
    public bool Agrees => Mismatches.Count == 0;
}
