namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    // Each side's positions in liquidation order (RiskKey): the lowest K first to fall below maintenance, the
    // highest first to be deleveraged. The insurance fund is in neither. Keys are refreshed from the positions
    // written since, before anything reads the order: at the end of the block and during liquidations.
    private readonly SortedSet<RiskKey> _longs = [];
    private readonly SortedSet<RiskKey> _shorts = [];
    private readonly HashSet<PositionState> _riskStale = [];

    /// <summary>Puts every position written since the last refresh back in its place in the liquidation order.</summary>
    private void RefreshRiskOrder()
    {
        foreach (var position in _riskStale)
        {
            PlaceInRiskOrder(position);
        }
        _riskStale.Clear();
    }

    private void PlaceInRiskOrder(PositionState position)
    {
        if (position.RiskSide != 0)
        {
            (position.RiskSide > 0 ? _longs : _shorts).Remove(position.RiskKey);
            position.RiskSide = 0;
        }
        if (position.Size == 0 || position == Fund)
        {
            return;
        }
        position.RiskKey = RiskKey.Of(position.Size, position.Collateral, position.SettledFundingIndex, position.Account);
        position.RiskSide = position.Size > 0 ? 1 : -1;
        (position.Size > 0 ? _longs : _shorts).Add(position.RiskKey);
    }

    /// <summary>
    /// The next position to liquidate: the first long if its K is below the longs' threshold, else the first short
    /// if below the shorts'. K folds in funding, so the test holds between touches; it errs, by under one index
    /// unit, on the side of liquidating.
    /// </summary>
    private bool TryGetNextToLiquidate(out PositionState position)
    {
        if (_longs.Count > 0 && _longs.Min.K < RiskKey.Threshold(true, FundingIndex, MarkPrice, Params.SizeScale, Params.MaintenanceMarginPpm))
        {
            position = _positions[_longs.Min.Account];
            return true;
        }
        if (_shorts.Count > 0 && _shorts.Min.K < RiskKey.Threshold(false, FundingIndex, MarkPrice, Params.SizeScale, Params.MaintenanceMarginPpm))
        {
            position = _positions[_shorts.Min.Account];
            return true;
        }
        position = null!;
        return false;
    }

    /// <summary>The most profitable position on the given side, for auto-deleveraging: the highest K.</summary>
    private bool TryGetMostProfitable(bool longs, out PositionState position)
    {
        var side = longs ? _longs : _shorts;
        if (side.Count == 0)
        {
            position = null!;
            return false;
        }
        position = _positions[side.Max.Account];
        return true;
    }
}
