using Rollup.Bridge.Disputes;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Settlement;

/// <summary>
/// A batch's accounts claim as it stands on L1 with its end step state opened (IRollupSettlement.AccountsEnd): what
/// <c>claimWithdrawal</c> proves a withdrawal against, the end's withdrawals root (word 5), so that the root paid is
/// the one a game can dispute (docs/contract.md, "Withdrawals").
/// </summary>
public sealed record AccountsEnd(Hash256 Start, ulong Steps, byte[] EndWords, IReadOnlyList<Hash256> Siblings)
{
    public const int WordCount = 17;

    public Hash256 End => Keccak256.Compute(EndWords);

    public Hash256 WithdrawalsRoot => new(EndWords.AsSpan(5 * 32, 32));

    /// <summary>
    /// The standing accounts claim of a batch opened with <paramref name="endWords"/> (a node's 17 ABI words of it), or
    /// null with the reason when they are not that claim's end.
    /// </summary>
    public static (AccountsEnd? Opened, string? Reason) Open(StandingClaims claims, ReadOnlySpan<byte> endWords)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (endWords.Length != WordCount * 32)
        {
            return (null, $"an accounts end is {WordCount * 32} bytes, not {endWords.Length}");
        }
        if (claims.ClaimOf(DomainId.Accounts) is not { } claim)
        {
            return (null, "the batch claims no accounts domain");
        }
        var end = Keccak256.Compute(endWords);
        return end == claim.End
            ? (new AccountsEnd(claim.Start, claim.Steps, endWords.ToArray(), claims.SiblingsOf(DomainId.Accounts)), null)
            : (null, $"the end {end} is not the batch's accounts claim's {claim.End}");
    }

    /// <summary>The tuple (bytes32 start, uint64 steps, bytes32[17] end, bytes32[] siblings) for the ABI encoder.</summary>
    public object[] ToAbi()
    {
        var words = new List<byte[]>(WordCount);
        for (var i = 0; i < WordCount; i++)
        {
            words.Add(EndWords.AsSpan(i * 32, 32).ToArray());
        }
        return [Start.ToArray(), Steps, words, Siblings.Select(s => s.ToArray()).ToList()];
    }
}
