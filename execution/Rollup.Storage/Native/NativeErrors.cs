using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rollup.Storage.Native;

/// <summary>Turns RocksDB's <c>char** errptr</c> results into <see cref="RocksDbException"/>s.</summary>
internal static class NativeErrors
{
    /// <summary>Throws when <paramref name="error"/> is set, after freeing it with <c>rocksdb_free</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfError(nint error, string operation)
    {
        if (error != 0)
        {
            Throw(error, operation);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint error, string operation)
    {
        var message = Marshal.PtrToStringUTF8(error) ?? string.Empty;
        RocksApi.C.rocksdb_free(error);
        throw new RocksDbException(operation, message);
    }

    /// <summary>Reads and frees a malloc()ed C string that RocksDB handed over; null stays null.</summary>
    public static string? TakeString(nint value)
    {
        if (value == 0)
        {
            return null;
        }
        var text = Marshal.PtrToStringUTF8(value);
        RocksApi.C.rocksdb_free(value);
        return text;
    }
}
