using Rollup.Primitives;
using Rollup.Primitives.Compression;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Storage;

namespace Rollup.Node.Hosting;

/// <summary>
/// Loads every library the node's state machine depends on (libsecp256k1 from Debian, RocksDB's native library from
/// its package) and runs one known-answer check through each, so a missing or broken one is reported at start-up with
/// its name instead of mid-block.
/// </summary>
public static class NativeSelfCheck
{
    public sealed record Result(string Component, bool Ok, string Detail);

    public static IReadOnlyList<Result> Run()
    {
        return
        [
            Check("keccak-256", () =>
                Keccak256.Compute("abc"u8) == Hash256.Parse("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
                    ? "known answer ok" : throw new InvalidOperationException("wrong hash of 'abc'")),
            Check("libsecp256k1.so.1", () =>
            {
                var key = new byte[32];
                key[31] = 1;
                var address = Secp256k1.GetAddress(key);
                return address == Address.Parse("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
                    ? "key 1 -> " + address : throw new InvalidOperationException("wrong address for key 1");
            }),
            Check("rocksdb (bundled with RocksDbSharp)", CheckRocksDb),
            Check("lz4 (K4os)", () => RoundTrip(CompressionCodecs.Lz4)),
            Check("zstd (ZstdSharp)", () => RoundTrip(CompressionCodecs.Zstd)),
        ];
    }

    private static string RoundTrip(ICompressionCodec codec)
    {
        var data = new byte[4096];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i % 61);
        }
        var compressed = codec.Compress(data);
        return codec.Decompress(compressed, data.Length).AsSpan().SequenceEqual(data)
            ? $"round trip ok ({data.Length} -> {compressed.Length} bytes)"
            : throw new InvalidOperationException("round trip changed the data");
    }

    private enum SelfCheckColumn
    {
        Probe,
    }

    private static string CheckRocksDb()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"rollup-selfcheck-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var db = RocksDb.Open<SelfCheckColumn>(directory))
            {
                db.Put(SelfCheckColumn.Probe, "key"u8, "value"u8, WriteMode.Sync);
            }
            using (var reopened = RocksDb.Open<SelfCheckColumn>(directory))
            {
                return reopened.Get(SelfCheckColumn.Probe, "key"u8) is [.. var value] && "value"u8.SequenceEqual(value)
                    ? "write, reopen, read ok" : throw new InvalidOperationException("a synced write was not there after reopen");
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static Result Check(string component, Func<string> check)
    {
        try
        {
            return new Result(component, true, check());
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return new Result(component, false, $"cannot load: {error.Message} (run scripts/setup)");
        }
        catch (Exception error) when (error is InvalidOperationException or FormatException or RocksDbException or IOException or CompressionException)
        {
            return new Result(component, false, error.Message);
        }
    }
}
