namespace Rollup.Storage.Native;

/// <summary>
/// RocksDB's C API as RocksDbSharp (NuGet <c>RocksDB</c>) binds it, with the native library it bundles. The managed
/// wrappers of that package allocate on reads, writes and iteration; the store calls the C API through it instead,
/// with spans pinned for the call, and keeps its own handles for lifetimes (see <see cref="Handles.RocksSafeHandle"/>).
/// </summary>
internal static class RocksApi
{
    public static readonly RocksDbSharp.Native C = RocksDbSharp.Native.Instance;
}
