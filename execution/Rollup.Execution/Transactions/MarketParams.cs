using Rollup.Primitives;

namespace Rollup.Execution.Transactions;

/// <summary>
/// A market's parameters, as CreateMarket and SetMarketParams carry them. Integers only: fractions are in
/// parts per million (ppm, 1_000_000 = 100%); prices are collateral base units per whole contract; sizes are
/// in units of 1/<see cref="SizeScale"/> contract, so a trade's notional in collateral base units is
/// price × size / SizeScale.
/// </summary>
/// <remarks>
/// Equality is by value, oracle signers included (in order), so a transaction that carries parameters
/// compares equal to its own decoded copy.
/// </remarks>
public sealed record MarketParams
{
    public const int MaxOracleSigners = 4;

    /// <summary>Up to 16 ASCII characters, e.g. "BTC-PERP".</summary>
    public string Symbol { get; init; } = "";

    /// <summary>Prices must be multiples of this.</summary>
    public ulong TickSize { get; init; }

    /// <summary>Sizes must be multiples of this.</summary>
    public ulong LotSize { get; init; }

    /// <summary>Size units per whole contract, a power of ten.</summary>
    public ulong SizeScale { get; init; }

    /// <summary>Equity needed to open exposure, as a fraction of notional (100_000 = 10x leverage).</summary>
    public uint InitialMarginPpm { get; init; }

    /// <summary>Below this fraction of notional a position is liquidated.</summary>
    public uint MaintenanceMarginPpm { get; init; }

    public uint MakerFeePpm { get; init; }

    public uint TakerFeePpm { get; init; }

    /// <summary>Orders priced further than this from the oracle price are rejected.</summary>
    public uint PriceBandPpm { get; init; }

    public uint MaxOpenOrdersPerAccount { get; init; }

    /// <summary>Funding is paid every this many blocks.</summary>
    public uint FundingIntervalBlocks { get; init; }

    /// <summary>Largest funding rate per interval.</summary>
    public uint FundingCapPpm { get; init; }

    /// <summary>Charged on a liquidated position's notional, paid to the insurance fund.</summary>
    public uint LiquidationFeePpm { get; init; }

    /// <summary>A mark move larger than this within <see cref="HaltWindowBlocks"/> halts the market.</summary>
    public uint HaltMovePpm { get; init; }

    public uint HaltWindowBlocks { get; init; }

    /// <summary>Bounds of the book: resting orders, and price levels per side.</summary>
    public uint MaxBookOrders { get; init; }

    public uint MaxBookLevels { get; init; }

    /// <summary>The keys whose OracleUpdates this market accepts (1 to <see cref="MaxOracleSigners"/>).</summary>
    public IReadOnlyList<Address> OracleSigners { get; init; } = [];

    public bool Equals(MarketParams? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && Symbol == other.Symbol
            && TickSize == other.TickSize
            && LotSize == other.LotSize
            && SizeScale == other.SizeScale
            && InitialMarginPpm == other.InitialMarginPpm
            && MaintenanceMarginPpm == other.MaintenanceMarginPpm
            && MakerFeePpm == other.MakerFeePpm
            && TakerFeePpm == other.TakerFeePpm
            && PriceBandPpm == other.PriceBandPpm
            && MaxOpenOrdersPerAccount == other.MaxOpenOrdersPerAccount
            && FundingIntervalBlocks == other.FundingIntervalBlocks
            && FundingCapPpm == other.FundingCapPpm
            && LiquidationFeePpm == other.LiquidationFeePpm
            && HaltMovePpm == other.HaltMovePpm
            && HaltWindowBlocks == other.HaltWindowBlocks
            && MaxBookOrders == other.MaxBookOrders
            && MaxBookLevels == other.MaxBookLevels
            && OracleSigners.SequenceEqual(other.OracleSigners));

    public override int GetHashCode() => HashCode.Combine(Symbol, TickSize, LotSize, SizeScale, OracleSigners.Count);
}
