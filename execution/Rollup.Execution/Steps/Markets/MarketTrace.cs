namespace Rollup.Execution.Steps.Markets;

/// <summary>One step of a market domain's trace: the states around it, its witness and what it decided.</summary>
public sealed record MarketStep(int Index, MarketStepKind Kind, MarketState Pre, MarketState Post, IReadOnlyList<MarketWitnessLeaf> Witness, MarketStepOutcome Outcome);

/// <summary>A market domain's trace of one batch: what its claim names (start, end, step count) and every step between.</summary>
public sealed record MarketTrace(MarketStepContext Context, MarketState Start, MarketState End, IReadOnlyList<MarketStep> Steps);
