using Microsoft.Extensions.Logging;

namespace Rollup.Bridge.Disputes;

/// <summary>A player's payouts: a resolution credits the winner in the game's ledger, and the player pulls its credit.</summary>
public static partial class BondCredits
{
    /// <summary>Withdraws the whole credit of the client's account, if it has one; returns what was paid (0: nothing).</summary>
    public static async Task<System.Numerics.BigInteger> CollectAsync(DisputeGameClient game, ILogger logger, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(game);
        var credit = await game.GetCreditAsync(game.From, cancellation).ConfigureAwait(false);
        if (credit.IsZero)
        {
            return credit;
        }
        var receipt = await game.WithdrawAsync(cancellation).ConfigureAwait(false);
        LogCollected(logger, game.From.ToString(), credit.ToString(System.Globalization.CultureInfo.InvariantCulture), receipt.GasUsed);
        return credit;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "dispute: {Account} withdrew its credit of {Wei} wei from the game ({Gas} gas)")]
    private static partial void LogCollected(ILogger logger, string account, string wei, ulong gas);
}
