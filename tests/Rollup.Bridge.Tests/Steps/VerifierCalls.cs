using Rollup.Primitives;

namespace Rollup.Bridge.Tests.Steps;

/// <summary>What the verifiers' differential tests share: checking many steps against anvil, and tampering a hash.</summary>
internal static class VerifierCalls
{
    /// <summary>Runs <paramref name="check"/> over every item with a few calls in flight: anvil answers them concurrently, and a failure names its step.</summary>
    public static async Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> check)
    {
        const int InFlight = 4;
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                await check(items[i]);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Worker()));
    }

    /// <summary>The hash with its first bit flipped.</summary>
    public static Hash256 Flip(Hash256 hash)
    {
        var bytes = hash.ToArray();
        bytes[0] ^= 0x80;
        return new Hash256(bytes);
    }
}
