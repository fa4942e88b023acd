namespace Rollup.Storage.Native;

/// <summary>
/// RocksDB's process-wide default environment with its flush (high-priority) thread pool lowered to the lowest CPU
/// priority, nice 19. Every database this process opens shares it. Compactions keep the normal priority.
/// </summary>
/// <remarks>
/// On a node whose cores are busy verifying signatures, a flush at normal priority takes a core from the threads
/// that write the tx log and send acks: at 18k tx/s the state's 44 MB flush still showed as a 28 ms ack p99 in its
/// second once its WAL was synced as it grew, and as 19 ms (the other seconds' level) with background work at nice
/// 19. A flush is cheap next to the tens of seconds a memtable takes to fill, so it keeps up at nice 19.
/// Compactions are not lowered: a compaction's debt grows with every flush, and at nice 19 on a saturated machine it
/// would get only what the niced admission workers leave, with nothing to bound the backlog but RocksDB's write
/// stalls. What compaction costs at max load over hours is not measured (docs/sequencer.md, Latency).
/// RocksDB's pool threads lower themselves the next time they wake.
/// The handle wraps <c>Env::Default()</c>, which lives as long as the process, so it is created once and never
/// destroyed: destroying the wrapper would not free the environment, and options point at it after a database closes.
/// </remarks>
internal static class LowPriorityFlushEnv
{
    private static readonly Lazy<nint> Env = new(Create);

    public static nint Pointer => Env.Value;

    private static nint Create()
    {
        var env = RocksApi.C.rocksdb_create_default_env();
        RocksApi.C.rocksdb_env_lower_high_priority_thread_pool_cpu_priority(env);
        return env;
    }
}
