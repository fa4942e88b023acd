using Microsoft.Extensions.Logging;
using Rollup.Execution.Transactions;
using Rollup.Node.Hosting;

namespace Rollup.Node.Devnet;

/// <summary>
/// Creates the devnet's markets on a fresh chain (as the operator), then moves their oracle prices every second
/// by a small random walk (as the oracle), so the devnet has live marks, funding and liquidations to test against.
/// </summary>
internal sealed partial class OracleFeeder(Sequencer.Sequencer sequencer, ILogger logger)
{
    private readonly DevSigner _operator = new(sequencer, DevKeys.OperatorKey);
    private readonly DevSigner _oracle = new(sequencer, DevKeys.OracleKey);
    private readonly Random _random = new(7);

    public async Task RunAsync(CancellationToken cancellation)
    {
        var prices = new Dictionary<uint, ulong>();
        foreach (var (id, symbol, price, tick) in DevnetMarkets.All)
        {
            var existing = sequencer.Read(engine => engine.TryGetMarket(id, out var market) ? (ulong?)(ulong)Math.Max(0, market.OraclePrice) : null);
            if (existing is null)
            {
                var created = await _operator.SubmitAsync(new Transaction { Kind = TxKind.CreateMarket, Market = id, Params = DevnetMarkets.Params(symbol, tick, DevKeys.OracleKey.Address) }).ConfigureAwait(false);
                LogCreated(id, symbol, created.Status.ToString());
            }
            prices[id] = existing is { } known && known > 0 ? known : price;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            foreach (var (id, _, _, tick) in DevnetMarkets.All)
            {
                // ±0.1 % a second, on the tick.
                var move = (long)(prices[id] / 1000) * _random.Next(-1, 2);
                var next = (ulong)Math.Max((long)tick, (long)prices[id] + move) / tick * tick;
                prices[id] = next;
                var result = await _oracle.SubmitAsync(new Transaction { Kind = TxKind.OracleUpdate, Market = id, Price = next, Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
                if (!result.IsAccepted)
                {
                    LogRefused(id, result.Status.ToString(), result.Detail ?? "");
                }
            }
        }
        while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "devnet: market {Id} {Symbol} created ({Status})")]
    private partial void LogCreated(uint id, string symbol, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "devnet oracle: update of market {Id} refused: {Status} {Detail}")]
    private partial void LogRefused(uint id, string status, string detail);
}
