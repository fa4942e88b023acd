using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Rollup.Node.Hosting;

namespace Rollup.Node.Cli;

/// <summary>
/// The <c>rollup</c> command line: <c>node</c> runs a sequencer, <c>validator</c> a validator, <c>devnet</c> a whole local
/// network, <c>withdraw</c> claims a withdrawal on L1, <c>check-ack</c> holds an ack against L1, <c>doctor</c> checks the machine.
/// </summary>
public static class RollupCli
{
    /// <summary>Exit code of a command line that does not parse (a missing or unknown option), as of any bad argument.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse exits <see cref="UsageExitCode"/>, saying why.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count == 0)
        {
            return await parse.InvokeAsync();
        }
        foreach (var error in parse.Errors)
        {
            await Console.Error.WriteLineAsync($"rollup: {error.Message}");
        }
        await Console.Error.WriteLineAsync("rollup: see 'rollup --help' or 'rollup <command> --help'");
        return UsageExitCode;
    }

    public static RootCommand Create()
    {
        var root = new RootCommand("Rollup: a Layer-2 sequencer and execution node for isolated-market derivatives.");
        root.Subcommands.Add(NodeCommand());
        root.Subcommands.Add(ValidatorCommand());
        root.Subcommands.Add(DevnetCommand());
        root.Subcommands.Add(WithdrawCommand.Create());
        root.Subcommands.Add(CheckAckCommand.Create());
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
            IConfiguration configuration;
            try
            {
                configuration = NodeConfiguration.Build(file, overrides);
            }
            catch (OptionsException bad)
            {
                await Console.Error.WriteLineAsync($"rollup: {bad.Message}");
                return 2;
            }
            return await NodeRunner.RunAsync(configuration, cancellation);
        });
        return command;
    }

    private static Command DevnetCommand()
    {
        var defaults = new Devnet.DevnetOptions();
        var dataDir = new Option<string?>("--data-dir") { Description = $"where the devnet keeps L1 and L2 state, reused by the next run (default {defaults.DataDir})" };
        var l1Port = new Option<int?>("--l1-port") { Description = $"anvil's port (default {defaults.L1Port})" };
        var grpcPort = new Option<int?>("--grpc-port") { Description = $"the sequencer's gRPC port (default {defaults.GrpcPort}; the validator's is --validator-grpc-port)" };
        var validatorPort = new Option<int?>("--validator-grpc-port") { Description = $"the validator's gRPC port (default {defaults.ValidatorGrpcPort})" };
        var httpPort = new Option<int?>("--http-port") { Description = $"the sequencer's HTTP/JSON API and explorer port, the validator's is the next (default {defaults.HttpPort})" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = $"the sequencer's metrics port, the validator's is the next (default {defaults.MetricsPort})" };
        var command = new Command("devnet", "Run a local devnet until Ctrl-C: anvil, contracts, funded dev traders, a sequencer, a validator, markets and an oracle feeder.")
        {
            dataDir, l1Port, grpcPort, validatorPort, httpPort, metricsPort,
        };
        command.SetAction((parse, cancellation) => Devnet.DevnetRunner.RunAsync(new Devnet.DevnetOptions
        {
            DataDir = parse.GetValue(dataDir) ?? defaults.DataDir,
            L1Port = parse.GetValue(l1Port) ?? defaults.L1Port,
            GrpcPort = parse.GetValue(grpcPort) ?? defaults.GrpcPort,
            ValidatorGrpcPort = parse.GetValue(validatorPort) ?? defaults.ValidatorGrpcPort,
            HttpPort = parse.GetValue(httpPort) ?? defaults.HttpPort,
            MetricsPort = parse.GetValue(metricsPort) ?? defaults.MetricsPort,
        }, cancellation));
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
