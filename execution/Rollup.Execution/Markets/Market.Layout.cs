using Rollup.Execution.Steps.Markets;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    /// <summary>The market's provable layout, when the engine keeps it (<see cref="Blocks.EngineOptions.KeepProvableLayout"/>).</summary>
    public MarketLayout? Layout { get; internal set; }
}
