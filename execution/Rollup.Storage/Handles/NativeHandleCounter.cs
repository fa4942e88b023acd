namespace Rollup.Storage.Handles;

/// <summary>
/// How many RocksDB native objects this process currently owns through this binding (every
/// <see cref="RocksSafeHandle"/> and every undisposed <see cref="PinnedValue"/>). Tests compare it before and
/// after a workload to prove nothing leaked.
/// </summary>
internal static class NativeHandleCounter
{
    private static long _live;

    public static long Live => Interlocked.Read(ref _live);

    public static void Created() => Interlocked.Increment(ref _live);

    public static void Released() => Interlocked.Decrement(ref _live);
}
