using System.Text.Json;

namespace Rollup.Bridge.Posting;

/// <summary>The batch being posted: which blocks, written before its first part goes out and kept until it is committed.</summary>
internal sealed record PostingIntent(ulong BatchIndex, ulong FirstBlock, ulong LastBlock)
{
    public static PostingIntent? Load(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PostingIntent>(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return null; // a torn write: choose the blocks again (the contract's accumulator tells what was posted)
        }
    }

    public static void Delete(string? path)
    {
        if (path is not null)
        {
            File.Delete(path);
        }
    }

    public void Save(string? path)
    {
        if (path is null)
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this));
        File.Move(temporary, path, overwrite: true);
    }
}
