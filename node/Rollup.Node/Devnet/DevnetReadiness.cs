using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Rollup.Node.Devnet;

/// <summary>
/// The devnet's one "ready" line: printed once the sequencer serves, every market exists, every L1 deposit the devnet
/// started with is credited, and the validator answers SERVING; before that the banner's endpoints may refuse.
/// </summary>
internal static class DevnetReadiness
{
    public static async Task AnnounceAsync(Sequencer.Sequencer sequencer, ulong deposits, DevnetOptions options, Stopwatch since, CancellationToken cancellation)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{options.ValidatorGrpcPort}");
        var validator = new Health.HealthClient(channel);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                if (sequencer.Read(engine => engine.Head.NextDepositIndex) < deposits || !sequencer.Read(HasEveryMarket) || !await IsServingAsync(validator, cancellation))
                {
                    continue;
                }
                Console.WriteLine($"devnet ready in {since.Elapsed.TotalSeconds:F1} s: sequencer gRPC 127.0.0.1:{options.GrpcPort}, validator gRPC 127.0.0.1:{options.ValidatorGrpcPort}, "
                    + $"{DevnetMarkets.All.Count} markets, {deposits} L1 deposits credited");
                return;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    private static bool HasEveryMarket(Execution.Blocks.ExecutionEngine engine)
    {
        foreach (var market in DevnetMarkets.All)
        {
            if (!engine.TryGetMarket(market.Id, out _))
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<bool> IsServingAsync(Health.HealthClient validator, CancellationToken cancellation)
    {
        try
        {
            var reply = await validator.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: cancellation);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException)
        {
            return false; // not listening yet
        }
    }
}
