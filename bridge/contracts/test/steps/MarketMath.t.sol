// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {FundingMath} from "../../src/steps/markets/FundingMath.sol";
import {MarginMath} from "../../src/steps/markets/MarginMath.sol";
import {MarketRules} from "../../src/steps/markets/MarketRules.sol";
import {RiskKey} from "../../src/steps/markets/RiskKey.sol";

/// The market verifier's pure arithmetic against values worked by hand from docs/execution.md (funding, margin,
/// liquidation) and the rules' definitions: a price of 50.000 is 50_000 at a size scale of 1000.
contract MarketMathTest is StepsTest {
    function test_notional_roundsTowardZero() public pure {
        assertEq(MarginMath.notional(50_000, 3, 1000), 150, "50 x 3");
        assertEq(MarginMath.notional(-7, 3, 2), -10, "-10.5 toward zero");
        assertEq(MarginMath.notional(7, 3, 2), 10, "10.5 toward zero");
        assertTrue(MarginMath.fitsNotional(int256(1 << 60), 1, 1), "2^60 fits");
        assertFalse(MarginMath.fitsNotional(int256(1 << 60) + 1, 1, 1), "2^60 + 1 does not");
        assertFalse(MarginMath.fitsNotional(-(int256(1 << 60)) - 1, 1, 1), "-(2^60 + 1) does not");
    }

    function test_fractionUp_roundsAgainstTheTrader() public pure {
        assertEq(MarginMath.fractionUp(1000, 500), 1, "0.5 up to 1");
        assertEq(MarginMath.fractionUp(2_000_000, 500), 1000, "exactly 1000");
        assertEq(MarginMath.fractionUp(2_000_001, 500), 1001, "1000.0005 up");
        assertEq(MarginMath.fractionUp(0, 500), 0, "nothing");
    }

    function test_fundingMove_rateTimesOraclePerUnit() public pure {
        // 100 ppm of a price of 50 per unit: 0.005 base units per unit, times 1e9.
        assertEq(FundingMath.move(0, 100, 50_000, 1000), 5_000_000, "longs pay");
        assertEq(FundingMath.move(7, -100, 50_000, 1000), -4_999_993, "shorts pay");
        assertEq(FundingMath.move(int256(1 << 62) - 1, 1000, 1e9, 1), int256(1 << 62), "cut at 2^62");
        assertEq(FundingMath.move(-(int256(1 << 62)) + 1, -1000, 1e9, 1), -(int256(1 << 62)), "cut at -2^62");
    }

    function test_fundingOwed_paidUpReceivedDown() public pure {
        // 2 units x 1.500000001 per unit = 3.000000002: owes 4, and the other side receives 3.
        assertEq(FundingMath.owed(2, 1_500_000_001, 0), 4, "paid, rounded up");
        assertEq(FundingMath.owed(-2, 1_500_000_001, 0), -3, "received, rounded down");
        assertEq(FundingMath.owed(5, 7, 7), 0, "no move");
        assertEq(FundingMath.owed(1, 2e9, 1e9), 1, "exactly one");
    }

    function test_riskK_floorOfCollateralPerUnit() public pure {
        assertEq(RiskKey.k(2, 100, 0), 50e9, "100 over 2 units");
        // A short of 3 settled at index 1e9: (100e9 - 3e9) / 3 = 32.333... e9.
        assertEq(RiskKey.k(-3, 100, 1e9), 32_333_333_333, "short, floored");
        assertEq(RiskKey.k(-3, -100, 0), -33_333_333_334, "negative, floored down");
        assertEq(RiskKey.k(1, -1, 0), -1e9, "one unit in debt");
        assertEq(RiskKey.k(4, 0, -3), -3, "settled funding alone");
    }

    function test_riskThreshold_maintenanceAtTheMark() public pure {
        // A long at a mark of 50 with 5% maintenance needs equity c + 50q >= 2.5q: c/q >= -47.5.
        assertEq(RiskKey.threshold(true, 0, 50_000, 1000, 50_000), -47_500_000_000, "long");
        // A short needs c - 50q >= 2.5q: c/q >= 52.5.
        assertEq(RiskKey.threshold(false, 0, 50_000, 1000, 50_000), 52_500_000_000, "short");
        assertEq(RiskKey.threshold(false, 0, 10, 3, 0), 3_333_333_334, "short, rounded up");
        assertEq(RiskKey.threshold(true, 5, 10, 3, 0), 5 - 3_333_333_333, "long, rounded down, index added");
    }

    function test_mark_medianOfOracleAndBestPrices() public pure {
        assertEq(MarketRules.mark(0, true, 90, true, 110), 0, "no oracle");
        assertEq(MarketRules.mark(100, true, 90, true, 110), 100, "oracle between");
        assertEq(MarketRules.mark(100, true, 105, true, 110), 105, "bid above the oracle");
        assertEq(MarketRules.mark(100, true, 97, true, 99), 99, "ask below the oracle");
        assertEq(MarketRules.mark(100, false, 0, true, 95), 100, "no bid: oracle twice");
        assertEq(MarketRules.mark(100, true, 120, false, 0), 100, "no ask: oracle twice");
    }

    function test_band_tenPercentBothWays() public pure {
        assertTrue(MarketRules.withinBand(110, 100, 100_000), "+10%");
        assertFalse(MarketRules.withinBand(111, 100, 100_000), "+11%");
        assertTrue(MarketRules.withinBand(90, 100, 100_000), "-10%");
        assertFalse(MarketRules.withinBand(89, 100, 100_000), "-11%");
    }

    function test_funding_dueAndRate() public pure {
        assertTrue(MarketRules.isFundingDue(10, 1, 5, 15), "interval reached");
        assertFalse(MarketRules.isFundingDue(10, 1, 5, 14), "one block short");
        assertFalse(MarketRules.isFundingDue(0, 1, 5, 100), "no interval");
        assertFalse(MarketRules.isFundingDue(10, 0, 5, 100), "no oracle");
        assertEq(MarketRules.fundingRate(101, 100, 5000), 5000, "1% capped at 0.5%");
        assertEq(MarketRules.fundingRate(100_050, 100_000, 5000), 500, "0.05%");
        assertEq(MarketRules.fundingRate(99_999, 100_000, 5000), -10, "-0.001%");
        assertEq(MarketRules.fundingRate(1, 3, 1e6), -666_666, "-2/3 toward zero");
    }

    function test_breaker_windowAndTrip() public pure {
        assertTrue(MarketRules.breakerWindowRestarts(0, 10, 5, 11), "no window yet");
        assertTrue(MarketRules.breakerWindowRestarts(100, 10, 5, 15), "window ran out");
        assertFalse(MarketRules.breakerWindowRestarts(100, 10, 5, 14), "window open");
        assertTrue(MarketRules.breakerTrips(111, 100, 100_000), "11% > 10%");
        assertFalse(MarketRules.breakerTrips(110, 100, 100_000), "10% is allowed");
        assertTrue(MarketRules.breakerTrips(89, 100, 100_000), "-11%");
        assertFalse(MarketRules.breakerTrips(1000, 100, 0), "no breaker");
    }
}
