using Rollup.Node.Cli;

return await RollupCli.RunAsync(args);
