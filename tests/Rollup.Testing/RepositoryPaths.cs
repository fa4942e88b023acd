namespace Rollup.Testing;

/// <summary>Finds files of the repository from a test's output directory.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rollup.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Rollup.sln not found above {AppContext.BaseDirectory}");
    }
}
