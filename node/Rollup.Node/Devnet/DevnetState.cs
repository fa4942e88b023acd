using System.Text.Json;

namespace Rollup.Node.Devnet;

/// <summary>Where the devnet deployed its contracts (<c>devnet.json</c> in its data directory), so a restart reuses them.</summary>
internal sealed record DevnetState(string Token, string Settlement, ulong DeploymentBlock)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static DevnetState? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<DevnetState>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Indented));
}
