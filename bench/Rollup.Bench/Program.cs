using Rollup.Bench;

// `rollup-bench` with no arguments runs every micro benchmark; `ceiling` prints the
// machine's signature-recovery ceiling; `engine` times whole blocks through the execution
// engine and `stateroot` the state-root update cost as the tree grows (both Stopwatch-based,
// see Custom/); anything else goes to BenchmarkDotNet's switcher
// (for example: --filter '*Keccak*' --job short).
return BenchCommand.Run(args);
