namespace Rollup.Storage;

/// <summary>How a write is made durable. Each combination maps to one write options object built at open.</summary>
[Flags]
public enum WriteMode
{
    /// <summary>Written to the WAL, which the OS flushes on its own: survives a process crash, not a power loss.</summary>
    None = 0,

    /// <summary>fsync the WAL before returning: survives a power loss. Cannot be combined with <see cref="DisableWal"/>.</summary>
    Sync = 1,

    /// <summary>Skip the WAL: lost on a crash unless flushed. For bulk loads that can be redone.</summary>
    DisableWal = 2,
}
