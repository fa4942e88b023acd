using System.Runtime.InteropServices;
using Rollup.Storage.Handles;

namespace Rollup.Storage.Native;

/// <summary>Opens a database with RocksDB's <c>default</c> column family plus the given ones.</summary>
internal static unsafe class NativeOpen
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
        var names = new nint[familyCount];
        var nativeOptions = new OptionsHandle?[familyCount];
        var cache = new CacheHandle((nuint)options.BlockCacheBytes);
        try
        {
            nativeOptions[0] = NativeOptionsFactory.CreateDatabaseOptions(options, cache);
            names[0] = Marshal.StringToCoTaskMemUTF8(DefaultColumnFamily);
            for (var i = 0; i < columnNames.Length; i++)
            {
                nativeOptions[i + 1] = NativeOptionsFactory.CreateColumnOptions(columnOptions[i], cache);
                names[i + 1] = Marshal.StringToCoTaskMemUTF8(columnNames[i]);
            }
            var optionPointers = new nint[familyCount];
            for (var i = 0; i < familyCount; i++)
            {
                optionPointers[i] = nativeOptions[i]!.DangerousGetHandle();
            }
            var families = new nint[familyCount];
            byte* error = null;
            nint db;
            fixed (nint* namesPointer = names, optionsPointer = optionPointers, familiesPointer = families)
            {
                db = RocksDbNative.rocksdb_open_column_families(
                    optionPointers[0], path, familyCount, (byte**)namesPointer, optionsPointer, familiesPointer, &error);
            }
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
            foreach (var name in names)
            {
                Marshal.FreeCoTaskMem(name);
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
