namespace Rollup.Execution.Transactions;

/// <summary>Wire values (uint8 in the signed order): never renumber.</summary>
public enum OrderKind : byte
{
    /// <summary>Rests at its price if not filled.</summary>
    Limit = 0,
    /// <summary>Takes liquidity up to its price (the worst acceptable), never rests.</summary>
    Market = 1,
}

/// <summary>Wire values (uint8 in the signed order): never renumber.</summary>
public enum TimeInForce : byte
{
    /// <summary>Good till cancelled.</summary>
    Gtc = 0,
    /// <summary>Immediate or cancel: what does not fill at once is cancelled.</summary>
    Ioc = 1,
    /// <summary>Fill or kill: fills whole at once or not at all.</summary>
    Fok = 2,
    /// <summary>Rejected if any part would take liquidity.</summary>
    PostOnly = 3,
}
