using Rollup.Bench;

// `rollup-bench` with no arguments runs every micro benchmark; `ceiling` prints the
// machine's signature-recovery ceiling; anything else goes to BenchmarkDotNet's switcher
// (for example: --filter '*Keccak*' --job short).
return BenchCommand.Run(args);
