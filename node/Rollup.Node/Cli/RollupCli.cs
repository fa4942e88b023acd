using System.CommandLine;
using Rollup.Node.Hosting;

namespace Rollup.Node.Cli;

/// <summary>
/// The <c>rollup</c> command line: <c>node</c> runs a sequencer, <c>validator</c> a validator, <c>devnet</c> a whole local
/// network, <c>withdraw</c> claims a withdrawal on L1, <c>doctor</c> checks the machine.
/// </summary>
public static class RollupCli
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Rollup: a Layer-2 sequencer and execution node for isolated-market derivatives.");
        root.Subcommands.Add(NodeCommand());
        root.Subcommands.Add(ValidatorCommand());
        root.Subcommands.Add(DoctorCommand());
        return root;
    }

    private static Command NodeCommand() =>
        RoleCommand("node", "sequencer", "Run a sequencer node until Ctrl-C: orders, executes, and with --l1-rpc credits L1 deposits and posts batches.");

    private static Command ValidatorCommand() =>
        RoleCommand("validator", "validator", "Run a validator until Ctrl-C: rebuilds the chain from L1 alone, checks every commitment, serves reads and streams.");

    private static Command RoleCommand(string name, string role, string description)
    {
        var flags = new NodeFlags();
        var command = new Command(name, description);
        flags.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var (file, overrides, error) = flags.Read(parse, role);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"rollup: {error}");
                return 2;
            }
            return await NodeRunner.RunAsync(NodeConfiguration.Build(file, overrides), cancellation);
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
