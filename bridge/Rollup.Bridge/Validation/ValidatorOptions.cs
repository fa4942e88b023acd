namespace Rollup.Bridge.Validation;

public sealed record ValidatorOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the validator keeps the index of the next batch to check (its engine keeps the blocks).</summary>
    public string? ProgressFile { get; init; }

    /// <summary>How often a validator behind L1 logs how far it has caught up. Default: 2 s.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    public Batches.BatchLimits Limits { get; init; } = Batches.BatchLimits.Default;
}
