namespace Rollup.Primitives.Tests.Compression;

/// <summary>
/// A gibibyte of zeros, compressed once per test run by each command-line tool from a stream of zeros on its
/// standard input, so neither the tool's input nor the test ever holds the gibibyte. Such frames declare no size.
/// </summary>
public sealed class ZeroBombs : IDisposable
{
    public const long Length = 1L << 30;

    private readonly TempDirectory _temp = new();
    private readonly Lazy<byte[]> _lz4;
    private readonly Lazy<byte[]> _zstd;

    public ZeroBombs()
    {
        _lz4 = new Lazy<byte[]>(() => Make("lz4", "zeros.lz4", output => ["-q", "-f", "-", output]));
        _zstd = new Lazy<byte[]>(() => Make("zstd", "zeros.zst", output => ["-q", "-f", "-", "-o", output]));
    }

    public byte[] Lz4 => _lz4.Value;

    public byte[] Zstd => _zstd.Value;

    public void Dispose() => _temp.Dispose();

    private byte[] Make(string tool, string name, Func<string, string[]> arguments)
    {
        var output = _temp.File(name);
        CliTool.Run(tool, arguments(output), CliTool.Zeros(Length));
        return File.ReadAllBytes(output);
    }
}
