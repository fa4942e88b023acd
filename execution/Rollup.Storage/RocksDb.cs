using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Rollup.Storage.Handles;
using Rollup.Storage.Native;

namespace Rollup.Storage;

/// <summary>Opens <see cref="RocksDb{TColumn}"/> databases.</summary>
public static class RocksDb
{
    /// <summary>
    /// Opens (or creates) the database in <paramref name="directory"/> with one column family per member of
    /// <typeparamref name="TColumn"/>, named after the member (see <see cref="RocksDb{TColumn}"/> for the rules).
    /// </summary>
    /// <param name="columnOptions">Per-column settings; null, or a null result, uses <see cref="RocksDbOptions.Columns"/>.</param>
    /// <exception cref="RocksDbException">RocksDB refused, for example because the directory is locked by another open.</exception>
    public static RocksDb<TColumn> Open<TColumn>(
        string directory, RocksDbOptions? options = null, Func<TColumn, ColumnOptions?>? columnOptions = null)
        where TColumn : struct, Enum
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new RocksDbOptions();
        options.Validate();
        var names = ColumnLayout<TColumn>.Names();
        var members = Enum.GetValues<TColumn>();
        var perColumn = new ColumnOptions[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            perColumn[i] = columnOptions?.Invoke(members[i]) ?? options.Columns;
            perColumn[i].Validate();
        }
        var path = Path.GetFullPath(directory);
        var (db, columns) = NativeOpen.Open(path, options, names, perColumn);
        return new RocksDb<TColumn>(path, db, columns, perColumn);
    }
}

/// <summary>
/// An open RocksDB database whose column families are the members of <typeparamref name="TColumn"/>.
/// Thread-safe: reads, writes, batch commits and the creation of iterators and snapshots may happen on any thread
/// (each iterator, batch and pinned value is used by one thread at a time).
/// </summary>
/// <remarks>
/// <para>Column families are named exactly as the enum members are declared (case-sensitive), and the member
/// values must be 0..N-1. This is on-disk format: renaming a member renames its column, and removing one
/// makes the database refuse to open. RocksDB's <c>default</c> column family exists but is not used.</para>
/// <para><see cref="Dispose"/> closes the database once every iterator, snapshot and <see cref="PinnedValue"/>
/// made from it is disposed too; until then the directory stays locked.</para>
/// </remarks>
public sealed partial class RocksDb<TColumn> : IDisposable
    where TColumn : struct, Enum
{
    private readonly DbHandle _db;
    private readonly ColumnFamilyHandle[] _columns;
    private readonly int[] _prefixLengths;
    private readonly WriteOptionsHandle[] _writeOptions;
    private readonly ReadOptionsHandle _readOptions;
    private readonly FlushOptionsHandle _flushOptions;
    private readonly RocksColumn<TColumn>[] _views;
    private int _disposed;

    internal RocksDb(string directory, DbHandle db, ColumnFamilyHandle[] columns, ColumnOptions[] columnOptions)
    {
        Directory = directory;
        _db = db;
        _columns = columns;
        try
        {
            // Options objects are built once here, owned by the database handle and freed after it closes.
            _writeOptions = new WriteOptionsHandle[4];
            for (var i = 0; i < _writeOptions.Length; i++)
            {
                var mode = (WriteMode)i;
                _writeOptions[i] = db.Adopt(new WriteOptionsHandle(
                    sync: mode.HasFlag(WriteMode.Sync), disableWal: mode.HasFlag(WriteMode.DisableWal)));
            }
            _readOptions = db.Adopt(new ReadOptionsHandle());
            _flushOptions = db.Adopt(new FlushOptionsHandle());
        }
        catch
        {
            db.Dispose();
            throw;
        }
        _prefixLengths = new int[columns.Length];
        _views = new RocksColumn<TColumn>[columns.Length];
        var members = Enum.GetValues<TColumn>();
        for (var i = 0; i < columns.Length; i++)
        {
            _prefixLengths[i] = columnOptions[i].PrefixLength;
            _views[i] = new RocksColumn<TColumn>(this, members[i]);
        }
    }

    /// <summary>The database directory, as a full path.</summary>
    public string Directory { get; }

    internal DbHandle Handle => _db;

    /// <summary>
    /// Starts closing the database: it closes as soon as no iterator, snapshot or pinned value made from it
    /// is left. Idempotent. Every later call on this object throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _db.Dispose();
        }
    }

    /// <summary>A key-value view of one column, for code that needs only Get/Set.</summary>
    public RocksColumn<TColumn> GetColumn(TColumn column) => _views[IndexOf(column)];

    /// <summary>A reference on the database for the length of one native call.</summary>
    internal HandleLease Lease()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new HandleLease(_db);
    }

    /// <summary>The column's handle; only valid under a <see cref="Lease"/>.</summary>
    internal nint ColumnFamily(TColumn column) => _columns[IndexOf(column)].DangerousGetHandle();

    /// <summary>The prebuilt write options for <paramref name="mode"/>; only valid under a <see cref="Lease"/>.</summary>
    internal nint WriteOptions(WriteMode mode)
    {
        if ((uint)mode >= (uint)_writeOptions.Length)
        {
            ThrowUnknownMode(mode);
        }
        return _writeOptions[(int)mode].DangerousGetHandle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(TColumn column)
    {
        var index = ColumnLayout<TColumn>.IndexOf(column);
        if ((uint)index >= (uint)_columns.Length)
        {
            ThrowUnknownColumn(column);
        }
        return index;
    }

    [DoesNotReturn]
    private static void ThrowUnknownColumn(TColumn column) =>
        throw new ArgumentOutOfRangeException(nameof(column), column, $"Not a member of {typeof(TColumn).Name}.");

    [DoesNotReturn]
    private static void ThrowUnknownMode(WriteMode mode) =>
        throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown write mode.");
}
