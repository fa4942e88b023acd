using Rollup.Fuzz.Targets;

namespace Rollup.Fuzz;

/// <summary>Every target by name, in one place (the command line, the soak and the test suite's short runs).</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["tx", "submit", "batch", "l1log", "l1receipt", "config"];

    public static FuzzTarget Create(string name) => name switch
    {
        "tx" => new TransactionCodecTarget(),
        "submit" => new SubmitTarget(),
        "batch" => new BatchTarget(),
        "l1log" => new DepositLogTarget(),
        "l1receipt" => new ReceiptTarget(),
        "config" => new ConfigTarget(),
        _ => throw new ArgumentException($"no fuzz target '{name}' (targets: {string.Join(", ", Names)})", nameof(name)),
    };
}
