namespace Rollup.Node.Devnet;

/// <summary>
/// The devnet's <c>l1/anvil.log</c>: anvil's output through <see cref="AnvilLogFilter"/>, appended, and bounded: past
/// <see cref="MaxBytes"/> the file becomes <c>anvil.log.1</c> (replacing an older one) and a new one starts, so a devnet
/// left running for weeks keeps at most twice that. Written from anvil's output and error readers: locked.
/// </summary>
internal sealed class AnvilLog : IDisposable
{
    public const long MaxBytes = 8L << 20;
    private readonly string _path;
    private readonly AnvilLogFilter _filter = new();
    private readonly Lock _lock = new();
    private StreamWriter? _writer;

    public AnvilLog(string path)
    {
        _path = path;
        _writer = Open(path);
    }

    public void Write(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            if (_writer is null || !_filter.Keep(line))
            {
                return;
            }
            _writer.WriteLine(line);
            if (_writer.BaseStream.Length >= MaxBytes)
            {
                _writer.Dispose();
                File.Move(_path, _path + ".1", overwrite: true);
                _writer = Open(_path);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private static StreamWriter Open(string path) => new(path, append: true) { AutoFlush = true };
}
