using System.Globalization;
using Rollup.Fuzz;

// rollup-fuzz TARGET|all [--inputs N] [--seed S] [--findings DIR]   seeded mutational run, report on stdout
// rollup-fuzz TARGET --afl                                          one afl++ persistent-mode child (scripts/fuzz --afl)
// rollup-fuzz TARGET --corpus DIR                                    write the target's seeds as afl's input corpus
// rollup-fuzz TARGET --replay FILE                                   run one input (a finding) and print what it did
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine($"usage: rollup-fuzz TARGET|all [--inputs N] [--seed S] [--findings DIR] | TARGET --afl | TARGET --corpus DIR | TARGET --replay FILE\ntargets: {string.Join(", ", FuzzTargets.Names)}");
    return args.Length == 0 ? 2 : 0;
}
string? Flag(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var names = args[0] == "all" ? FuzzTargets.Names : [args[0]];
if (!names.All(FuzzTargets.Names.Contains))
{
    Console.Error.WriteLine($"rollup-fuzz: no target '{args[0]}' (targets: {string.Join(", ", FuzzTargets.Names)})");
    return 2;
}
if (args.Contains("--afl"))
{
    // Persistent mode: afl++ feeds inputs on this one process; an exception out of the target is the crash afl records.
    // The target is made inside the first run: instrumented code may only run once SharpFuzz has mapped afl's bitmap.
    FuzzTarget? target = null;
    SharpFuzz.Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target ??= FuzzTargets.Create(names[0]);
        _ = target.Run(buffer.ToArray());
    });
    target?.Dispose();
    return 0;
}
if (Flag("--corpus") is { } corpus)
{
    using var target = FuzzTargets.Create(names[0]);
    Directory.CreateDirectory(corpus);
    for (var i = 0; i < target.Seeds.Count; i++)
    {
        File.WriteAllBytes(Path.Combine(corpus, $"seed-{i:D3}"), target.Seeds[i]);
    }
    Console.WriteLine($"{target.Seeds.Count} seeds of {target.Name} in {corpus}");
    return 0;
}
if (Flag("--replay") is { } replay)
{
    using var target = FuzzTargets.Create(names[0]);
    Console.WriteLine(Classify(target, File.ReadAllBytes(replay)));
    return 0;
}
var inputs = long.Parse(Flag("--inputs") ?? "1000000", CultureInfo.InvariantCulture);
var seed = int.Parse(Flag("--seed") ?? "1", CultureInfo.InvariantCulture);
var findings = 0;
foreach (var name in names)
{
    using var target = FuzzTargets.Create(name);
    var report = FuzzRun.Run(target, inputs, seed, Flag("--findings"), (done, so) => Console.Error.WriteLine($"  {name}: {done:N0} of {inputs:N0} ({so.Findings.Count} findings so far)"));
    Console.WriteLine(report);
    foreach (var finding in report.Findings)
    {
        Console.WriteLine($"  finding: {finding.What} (input {Convert.ToHexStringLower(finding.Input.AsSpan(0, Math.Min(64, finding.Input.Length)))}{(finding.Input.Length > 64 ? "…" : "")})");
    }
    findings += report.Findings.Count;
}
return findings == 0 ? 0 : 1;

static string Classify(FuzzTarget target, ReadOnlySpan<byte> input)
{
    try
    {
        return target.Run(input).ToString();
    }
    catch (Exception error)
    {
        return $"finding: {error.GetType().Name}: {error.Message}";
    }
}
