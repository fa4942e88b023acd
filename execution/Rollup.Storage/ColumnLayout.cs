using System.Runtime.CompilerServices;
using Rollup.Storage.Native;

namespace Rollup.Storage;

/// <summary>
/// Maps a column enum onto RocksDB column families. This mapping is on-disk format:
/// <list type="bullet">
/// <item>each enum member is one column family named exactly as the member is declared (case-sensitive),
/// so renaming a member renames its column, and a database whose enum lost a member no longer opens
/// (RocksDB refuses to open without every existing column family);</item>
/// <item>RocksDB's mandatory <c>default</c> column family is opened too and left unused, so no member may be
/// named <c>default</c>;</item>
/// <item>the member values must be 0, 1, … N-1 (each value is an index into the open handles).</item>
/// </list>
/// </summary>
internal static class ColumnLayout<TColumn>
    where TColumn : struct, Enum
{
    /// <summary>The column family names, indexed by member value; throws if the enum breaks the rules above.</summary>
    public static string[] Names()
    {
        var values = Enum.GetValues<TColumn>();
        if (values.Length == 0)
        {
            throw new ArgumentException($"{typeof(TColumn).Name} has no members: a database needs at least one column.");
        }
        var names = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (IndexOf(values[i]) != i)
            {
                throw new ArgumentException(
                    $"{typeof(TColumn).Name} members must have the values 0..{values.Length - 1}, each once; {values[i]} does not fit.");
            }
            var name = Enum.GetName(values[i])!;
            if (name == NativeOpen.DefaultColumnFamily)
            {
                throw new ArgumentException($"{typeof(TColumn).Name}.{name} collides with RocksDB's default column family.");
            }
            names[i] = name;
        }
        return names;
    }

    /// <summary>The member's value as an index; -1 when it does not fit an int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(TColumn column)
    {
        // The size is a JIT-time constant: only one branch survives.
        if (Unsafe.SizeOf<TColumn>() == 1)
        {
            return Unsafe.As<TColumn, byte>(ref column);
        }
        if (Unsafe.SizeOf<TColumn>() == 2)
        {
            return Unsafe.As<TColumn, ushort>(ref column);
        }
        if (Unsafe.SizeOf<TColumn>() == 4)
        {
            return Unsafe.As<TColumn, int>(ref column);
        }
        var wide = Unsafe.As<TColumn, long>(ref column);
        return wide is >= 0 and <= int.MaxValue ? (int)wide : -1;
    }
}
