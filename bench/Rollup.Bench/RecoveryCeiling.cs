namespace Rollup.Bench;

internal static class RecoveryCeiling
{
    public static int Run(ReadOnlySpan<string> args)
    {
        _ = args;
        return 0;
    }
}
