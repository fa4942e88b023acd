// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {MarketParams} from "../../src/steps/TransactionDecoder.sol";
import {MarketParamsRules} from "../../src/steps/MarketParamsRules.sol";

/// Each bound of MarketParamsRules.AreValid (execution/Rollup.Execution/Markets/MarketParamsRules.cs) on both sides.
contract MarketParamsRulesTest is StepsTest {
    uint64 internal constant MAX_TICK = 2305843009213693951; // (2^63 - 1) / 4

    function valid() internal pure returns (MarketParams memory p) {
        p.symbol = "BTC-PERP";
        (p.tickSize, p.lotSize, p.sizeScale) = (10, 1, 1000);
        (p.initialMarginPpm, p.maintenanceMarginPpm, p.makerFeePpm, p.takerFeePpm) = (100_000, 50_000, 200, 500);
        (p.priceBandPpm, p.maxOpenOrdersPerAccount, p.fundingIntervalBlocks, p.fundingCapPpm) = (100_000, 100, 10, 1_000);
        (p.liquidationFeePpm, p.haltMovePpm, p.haltWindowBlocks) = (10_000, 100_000, 100);
        (p.maxBookOrders, p.maxBookLevels) = (10_000, 1_000);
        p.oracleSigners = new address[](1);
        p.oracleSigners[0] = address(0xBEEF);
    }

    function test_theBaseIsValid() public pure {
        assertTrue(MarketParamsRules.areValid(valid()), "valid");
    }

    function test_symbol() public pure {
        MarketParams memory p = valid();
        p.symbol = "";
        assertFalse(MarketParamsRules.areValid(p), "empty");
        p.symbol = "ABCDEFGHIJKLMNOP";
        assertTrue(MarketParamsRules.areValid(p), "16");
        p.symbol = "ABCDEFGHIJKLMNOPQ";
        assertFalse(MarketParamsRules.areValid(p), "17");
        p.symbol = "A B";
        assertFalse(MarketParamsRules.areValid(p), "space");
        p.symbol = hex"217e";
        assertTrue(MarketParamsRules.areValid(p), "! and ~");
        p.symbol = hex"7f";
        assertFalse(MarketParamsRules.areValid(p), "DEL");
    }

    function test_tickAndLot() public pure {
        MarketParams memory p = valid();
        p.tickSize = 0;
        assertFalse(MarketParamsRules.areValid(p), "tick 0");
        p.tickSize = MAX_TICK;
        assertTrue(MarketParamsRules.areValid(p), "tick at the bound");
        p.tickSize = MAX_TICK + 1;
        assertFalse(MarketParamsRules.areValid(p), "tick past the bound");
        p = valid();
        p.lotSize = 0;
        assertFalse(MarketParamsRules.areValid(p), "lot 0");
        p.lotSize = MAX_TICK;
        assertTrue(MarketParamsRules.areValid(p), "lot at the bound");
        p.lotSize = MAX_TICK + 1;
        assertFalse(MarketParamsRules.areValid(p), "lot past the bound");
    }

    function test_sizeScaleIsAPowerOfTen() public pure {
        MarketParams memory p = valid();
        uint64[6] memory good = [uint64(1), 10, 100, 1_000_000, 1e18, 1e19];
        for (uint256 i = 0; i < good.length; i++) {
            p.sizeScale = good[i];
            assertTrue(MarketParamsRules.areValid(p), string.concat("10^k: ", vm.toString(uint256(good[i]))));
        }
        uint64[6] memory bad = [uint64(0), 2, 20, 110, 1_000_001, type(uint64).max];
        for (uint256 i = 0; i < bad.length; i++) {
            p.sizeScale = bad[i];
            assertFalse(MarketParamsRules.areValid(p), string.concat("not 10^k: ", vm.toString(uint256(bad[i]))));
        }
    }

    function test_margins() public pure {
        MarketParams memory p = valid();
        p.maintenanceMarginPpm = 0;
        assertFalse(MarketParamsRules.areValid(p), "maintenance 0");
        p.maintenanceMarginPpm = p.initialMarginPpm;
        assertFalse(MarketParamsRules.areValid(p), "maintenance = initial");
        p.maintenanceMarginPpm = p.initialMarginPpm - 1;
        assertTrue(MarketParamsRules.areValid(p), "maintenance just below initial");
        p.initialMarginPpm = 1_000_000;
        assertTrue(MarketParamsRules.areValid(p), "initial 100%");
        p.initialMarginPpm = 1_000_001;
        assertFalse(MarketParamsRules.areValid(p), "initial above 100%");
    }

    function test_feesBandsAndLimits() public pure {
        _edge(0, 100_000, "maker fee");
        _edge(1, 100_000, "taker fee");
        _edge(2, 500_000, "liquidation fee");
        _edge(3, 100_000, "funding cap");
        _edge(4, 1_000_000, "halt move");
        _edge(5, 1_000_000, "max book orders");
        _edge(6, 100_000, "max book levels");

        MarketParams memory p = valid();
        p.priceBandPpm = 0;
        assertFalse(MarketParamsRules.areValid(p), "band 0");
        p.priceBandPpm = 999_999;
        assertTrue(MarketParamsRules.areValid(p), "band 999999");
        p.priceBandPpm = 1_000_000;
        assertFalse(MarketParamsRules.areValid(p), "band 100%");

        p = valid();
        p.maxOpenOrdersPerAccount = 0;
        assertFalse(MarketParamsRules.areValid(p), "no open orders");
        p.maxOpenOrdersPerAccount = 256;
        assertTrue(MarketParamsRules.areValid(p), "256 open orders");
        p.maxOpenOrdersPerAccount = 257;
        assertFalse(MarketParamsRules.areValid(p), "257 open orders: a position leaf lists them all");
        p = valid();
        p.maxBookOrders = 0;
        assertFalse(MarketParamsRules.areValid(p), "book orders 0");
        p = valid();
        p.maxBookLevels = 0;
        assertFalse(MarketParamsRules.areValid(p), "book levels 0");

        // The engine bounds neither the funding interval nor the halt window.
        p = valid();
        (p.fundingIntervalBlocks, p.haltWindowBlocks) = (0, 0);
        assertTrue(MarketParamsRules.areValid(p), "interval and window 0");
        (p.fundingIntervalBlocks, p.haltWindowBlocks) = (type(uint32).max, type(uint32).max);
        assertTrue(MarketParamsRules.areValid(p), "interval and window max");
    }

    function test_oracleSigners() public pure {
        MarketParams memory p = valid();
        p.oracleSigners = new address[](0);
        assertFalse(MarketParamsRules.areValid(p), "none");
        p.oracleSigners = new address[](4);
        assertTrue(MarketParamsRules.areValid(p), "four");
        p.oracleSigners = new address[](5);
        assertFalse(MarketParamsRules.areValid(p), "five");
    }

    /// Field `which` valid at `max`, invalid at `max + 1`.
    function _edge(uint256 which, uint32 max, string memory what) internal pure {
        MarketParams memory p = valid();
        _set(p, which, max);
        assertTrue(MarketParamsRules.areValid(p), string.concat(what, " at its bound"));
        _set(p, which, max + 1);
        assertFalse(MarketParamsRules.areValid(p), string.concat(what, " past its bound"));
    }

    function _set(MarketParams memory p, uint256 which, uint32 value) internal pure {
        if (which == 0) p.makerFeePpm = value;
        else if (which == 1) p.takerFeePpm = value;
        else if (which == 2) p.liquidationFeePpm = value;
        else if (which == 3) p.fundingCapPpm = value;
        else if (which == 4) p.haltMovePpm = value;
        else if (which == 5) p.maxBookOrders = value;
        else p.maxBookLevels = value;
    }
}
