using System.Text;

namespace Rollup.Storage.Tests;

/// <summary>The columns of the test databases. Their names are the column families on disk.</summary>
public enum TestColumn
{
    Headers,
    Blocks,
    State,
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
