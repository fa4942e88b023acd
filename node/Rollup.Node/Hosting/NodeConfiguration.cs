using Microsoft.Extensions.Configuration;

namespace Rollup.Node.Hosting;

/// <summary>Reads <see cref="NodeOptions"/>: defaults, then the JSON file, then ROLLUP__ variables, then flags.</summary>
public static class NodeConfiguration
{
    public static IConfiguration Build(string? configFile, IDictionary<string, string?> overrides)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(configFile, optional: false);
        }
        return builder.AddEnvironmentVariables("ROLLUP__").AddInMemoryCollection(overrides).Build();
    }

    public static NodeOptions Load(IConfiguration configuration)
    {
        var options = new NodeOptions();
        configuration.GetSection(NodeOptions.Section).Bind(options);
        return options;
    }
}
