namespace Rollup.Bridge.Validation;

public sealed record ValidatorOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the validator keeps the index of the next batch to check (its engine keeps the blocks).</summary>
    public string? ProgressFile { get; init; }

    public Batches.BatchLimits Limits { get; init; } = Batches.BatchLimits.Default;
}
