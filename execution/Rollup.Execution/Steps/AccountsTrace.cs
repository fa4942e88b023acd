namespace Rollup.Execution.Steps;

/// <summary>One step of the accounts domain's trace: the states around it, its input and its witness.</summary>
public sealed record AccountsStep(
    int Index,
    AccountsStepKind Kind,
    AccountsState Pre,
    AccountsState Post,
    L1Deposit Deposit,
    IReadOnlyList<StepLeaf> Witness,
    AccountsStepOutcome Outcome);

/// <summary>The accounts domain's trace of one batch: what a claim names (start, end, step count) and every step between.</summary>
public sealed record AccountsTrace(AccountsStepContext Context, AccountsState Start, AccountsState End, IReadOnlyList<AccountsStep> Steps);
