using System.Text.Json;

namespace Rollup.Node.Devnet;

/// <summary>Where the devnet deployed its contracts (<c>devnet.json</c> in its data directory), so a restart reuses them.</summary>
/// <param name="AckSlashing">The ack slashing contract holding the sequencer's bond (null in a devnet.json from before it existed).</param>
/// <param name="DisputeGame">The dispute game beside the settlement (null in a devnet.json from before it existed).</param>
internal sealed record DevnetState(string Token, string Settlement, ulong DeploymentBlock, string? AckSlashing = null, string? DisputeGame = null)
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
