using Rollup.Storage.Handles;

namespace Rollup.Storage.Native;

/// <summary>Opens a database with RocksDB's <c>default</c> column family plus the given ones.</summary>
internal static class NativeOpen
{
    /// <summary>RocksDB's mandatory column family; opened and left unused.</summary>
    public const string DefaultColumnFamily = "default";

    /// <summary>
    /// Returns the open database, owning the cache and every column family handle; the returned handles are
    /// the given columns', in order (the default column family's handle is owned but not returned).
    /// </summary>
    public static (DbHandle Db, ColumnFamilyHandle[] Columns) Open(
        string path, RocksDbOptions options, string[] columnNames, ColumnOptions[] columnOptions)
    {
        var familyCount = columnNames.Length + 1;
        var names = new string[familyCount];
        var nativeOptions = new OptionsHandle?[familyCount];
        var cache = new CacheHandle((nuint)options.BlockCacheBytes);
        try
        {
            nativeOptions[0] = NativeOptionsFactory.CreateDatabaseOptions(options, cache);
            names[0] = DefaultColumnFamily;
            for (var i = 0; i < columnNames.Length; i++)
            {
                nativeOptions[i + 1] = NativeOptionsFactory.CreateColumnOptions(columnOptions[i], cache);
                names[i + 1] = columnNames[i];
            }
            var optionPointers = new nint[familyCount];
            for (var i = 0; i < familyCount; i++)
            {
                optionPointers[i] = nativeOptions[i]!.DangerousGetHandle();
            }
            var families = new nint[familyCount];
            var db = RocksApi.C.rocksdb_open_column_families(
                optionPointers[0], path, familyCount, names, optionPointers, families, out var error);
            NativeErrors.ThrowIfError(error, $"open of '{path}'");
            return Adopt(db, families, cache);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
        finally
        {
            // RocksDB copied the options; the cache lives on in the database's table factories.
            foreach (var native in nativeOptions)
            {
                native?.Dispose();
            }
        }
    }

    private static (DbHandle Db, ColumnFamilyHandle[] Columns) Adopt(nint db, nint[] families, CacheHandle cache)
    {
        var dbHandle = new DbHandle(db);
        var all = new ColumnFamilyHandle[families.Length];
        for (var i = 0; i < families.Length; i++)
        {
            all[i] = new ColumnFamilyHandle(families[i]);
        }
        dbHandle.AdoptColumnFamilies(all);
        dbHandle.Adopt(cache);
        return (dbHandle, all[1..]);
    }
}
