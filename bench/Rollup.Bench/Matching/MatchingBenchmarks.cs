using BenchmarkDotNet.Attributes;
using Rollup.Execution.Matching;

namespace Rollup.Bench;

/// <summary>
/// One order book on one core, replaying 1M commands of realistic flow (<see cref="OrderFlowGenerator"/>:
/// adds and cancels near the top, crossing orders, IOC/FOK/post-only/market, self-trades). Figures are per
/// command. Goal for the fast book: at least 5M commands/s (exchange-core's figure for one book) and 0 B
/// allocated per command once its arrays have grown (each invocation starts from a cleared book that keeps
/// its memory).
/// </summary>
[MemoryDiagnoser]
public class MatchingBenchmarks
{
    private const int CommandCount = 1_000_000;
    private static readonly OrderBookLimits Limits = new(maxOrders: 1_000_000, maxLevelsPerSide: 100_000);

    private readonly FastOrderBook _fast = new(Limits);
    private readonly ReferenceOrderBook _reference = new(Limits);
    private OrderBookCommand[] _commands = [];

    [GlobalSetup]
    public void Setup() => _commands = new OrderFlowGenerator(seed: 1).Generate(CommandCount);

    [Benchmark(OperationsPerInvoke = CommandCount)]
    public long FastBook()
    {
        var book = _fast;
        book.Clear();
        var sink = new CountingSink();
        var commands = _commands;
        for (var i = 0; i < commands.Length; i++)
        {
            ref readonly var command = ref commands[i];
            switch (command.Kind)
            {
                case OrderBookCommandKind.Place:
                    sink.Filled += book.Place(command.Order, ref sink).FilledSize;
                    break;
                case OrderBookCommandKind.Cancel:
                    sink.Cancelled += book.Cancel(command.Order.OrderId, out _) ? 1 : 0;
                    break;
                default:
                    sink.Cancelled += book.TryReduceSize(command.Order.OrderId, command.Order.Size, out _) ? 1 : 0;
                    break;
            }
        }
        return sink.Checksum;
    }

    [Benchmark(OperationsPerInvoke = CommandCount, Baseline = true)]
    public long ReferenceBook()
    {
        var book = _reference;
        book.Clear();
        var sink = new CountingSink();
        var commands = _commands;
        for (var i = 0; i < commands.Length; i++)
        {
            ref readonly var command = ref commands[i];
            switch (command.Kind)
            {
                case OrderBookCommandKind.Place:
                    sink.Filled += book.Place(command.Order, ref sink).FilledSize;
                    break;
                case OrderBookCommandKind.Cancel:
                    sink.Cancelled += book.Cancel(command.Order.OrderId, out _) ? 1 : 0;
                    break;
                default:
                    sink.Cancelled += book.TryReduceSize(command.Order.OrderId, command.Order.Size, out _) ? 1 : 0;
                    break;
            }
        }
        return sink.Checksum;
    }

    /// <summary>Consumes every callback cheaply, as a settling engine would touch each fill.</summary>
    private struct CountingSink : IFillSink
    {
        public long Filled;
        public long Cancelled;
        private long _traded;
        private long _selfTradeCancelled;

        public readonly long Checksum => Filled + Cancelled + _traded + _selfTradeCancelled;

        public void OnFill(in Fill fill) => _traded += fill.Size * fill.Price;

        public void OnSelfTradeCancel(in RestingOrder cancelled, ulong takerOrderId) => _selfTradeCancelled += cancelled.Size;
    }
}
