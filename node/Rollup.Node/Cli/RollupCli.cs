using System.CommandLine;
using Rollup.Node.Hosting;

namespace Rollup.Node.Cli;

/// <summary>The <c>rollup</c> command line: <c>node</c> runs a node, <c>doctor</c> checks the machine.</summary>
public static class RollupCli
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Rollup: a Layer-2 sequencer and execution node for isolated-market derivatives.");
        root.Subcommands.Add(NodeCommand());
        root.Subcommands.Add(DoctorCommand());
        return root;
    }

    private static Command NodeCommand()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON settings file (section \"Node\"); see docs/configuration.md" };
        var dataDir = new Option<string?>("--data-dir") { Description = "state directory (default .rollup/node)" };
        var chainId = new Option<ulong?>("--chain-id") { Description = "L2 chain id in the EIP-712 domain (default 31337)" };
        var command = new Command("node", "Run a node until Ctrl-C.") { config, dataDir, chainId };
        command.SetAction(async (parse, cancellation) =>
        {
            var file = parse.GetValue(config);
            if (file is { Exists: false })
            {
                await Console.Error.WriteLineAsync($"rollup: config file not found: {file.FullName}");
                return 2;
            }
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(dataDir) is { } dir)
            {
                overrides[$"{NodeOptions.Section}:{nameof(NodeOptions.DataDir)}"] = dir;
            }
            if (parse.GetValue(chainId) is { } id)
            {
                overrides[$"{NodeOptions.Section}:{nameof(NodeOptions.ChainId)}"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return await NodeRunner.RunAsync(NodeConfiguration.Build(file?.FullName, overrides), cancellation);
        });
        return command;
    }

    private static Command DoctorCommand()
    {
        var command = new Command("doctor", "Check that every native library loads and answers correctly.");
        command.SetAction(_ =>
        {
            var failed = 0;
            foreach (var result in NativeSelfCheck.Run())
            {
                Console.WriteLine($"{(result.Ok ? "ok  " : "FAIL")} {result.Component}: {result.Detail}");
                failed += result.Ok ? 0 : 1;
            }
            return failed == 0 ? 0 : 3;
        });
        return command;
    }
}
