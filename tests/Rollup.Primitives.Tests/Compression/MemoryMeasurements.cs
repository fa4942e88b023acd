namespace Rollup.Primitives.Tests.Compression;

/// <summary>
/// Tests that measure the process's memory run alone: another test class allocating in parallel would
/// otherwise grow the working set they read.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "Memory measurements";
}
