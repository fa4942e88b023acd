using System.Text;

namespace Rollup.Storage.Tests;

/// <summary>The columns of the test databases. Their names are the column families on disk.</summary>
public enum TestColumn
{
    Headers,
    Blocks,
    State,
}

/// <summary>A fresh directory under the system temp directory, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(
            System.IO.Path.GetTempPath(), "rollup-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside this directory that does not exist yet.</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

internal static class Bytes
{
    public static byte[] Of(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    public static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    /// <summary>Small buffers so tests stay light on memory; behavior is the same as the defaults.</summary>
    public static RocksDbOptions SmallOptions { get; } = new()
    {
        BlockCacheBytes = 4 << 20,
        Parallelism = 2,
        Columns = new ColumnOptions { WriteBufferBytes = 1 << 20 },
    };
}
