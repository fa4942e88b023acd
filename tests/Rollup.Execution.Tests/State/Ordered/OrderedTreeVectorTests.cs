using Rollup.Testing;

namespace Rollup.Execution.Tests.State.Ordered;

public class OrderedTreeVectorTests
{
    /// <summary>The vectors forge replays are what this implementation gives today (set the variable to rewrite them).</summary>
    [Fact]
    public void Vectors_CommittedFile_IsWhatTheImplementationGives()
    {
        var generated = OrderedTreeVectors.Generate();
        var path = RepositoryPaths.Combine(OrderedTreeVectors.Path);
        if (Environment.GetEnvironmentVariable(OrderedTreeVectors.RegenerateVariable) == "1")
        {
            File.WriteAllText(path, generated);
        }
        Assert.True(File.Exists(path), $"{path} is missing: run with {OrderedTreeVectors.RegenerateVariable}=1");
        Assert.True(generated == File.ReadAllText(path),
            $"{path} is not what the C# ordered tree gives: rerun with {OrderedTreeVectors.RegenerateVariable}=1 if the change is meant, and let forge check the Solidity twin");
    }
}
