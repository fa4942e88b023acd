using Rollup.Node.Cli;

return await RollupCli.Create().Parse(args).InvokeAsync();
