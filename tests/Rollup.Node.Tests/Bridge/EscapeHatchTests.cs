using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.State;
using Rollup.Execution.State.Proofs;
using Rollup.Execution.Transactions;
using Rollup.Node.Bridge;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Node.Tests.Bridge;

/// <summary>The sequencer goes silent: anyone freezes the contract and users leave with proofs the engine builds.</summary>
public class EscapeHatchTests
{
    private const ulong Usdc = 1_000_000;

    [Fact]
    public async Task After_a_freeze_each_trader_escapes_once_with_engine_proofs_paid_what_the_documented_rule_says()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = 2, EscapeTimeoutBlocks = 30, TimelockDelayBlocks = 1 });
        var sequencer = devnet.StartSequencer();
        var blocks = sequencer.Subscribe(capacity: 100_000);
        await devnet.FundAndDepositAsync(L1Devnet.Alice, 1_000 * Usdc, 500 * Usdc);
        await devnet.FundAndDepositAsync(L1Devnet.Bob, 1_000 * Usdc, 500 * Usdc);
        var watcher = new Rollup.Bridge.Deposits.DepositWatcher(devnet.SequencerClient(), new SequencerDepositSink(sequencer), new() { Confirmations = 0 }, NullLogger.Instance);
        Assert.Equal(2, await watcher.PollAsync(default));

        // Alice goes short, Bob long, then the oracle moves against Alice.
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.CreateMarket, Market = 7, Params = SampleMarkets.Perpetual("ETH-PERP", L1Devnet.OracleKey.Address, tickSize: 100, fundingIntervalBlocks: 100_000) }, L1Devnet.OperatorKey);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.OracleUpdate, Market = 7, Price = 3_000_000_000, Timestamp = 1 }, L1Devnet.OracleKey);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.TransferMargin, Market = 7, Amount = 200 * Usdc, ToMarket = true }, L1Devnet.Alice);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.TransferMargin, Market = 7, Amount = 200 * Usdc, ToMarket = true }, L1Devnet.Bob);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = 7, IsBuy = false, Price = 3_000_000_000, Size = 10_000_000 }, L1Devnet.Alice);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = 7, IsBuy = true, Price = 3_000_000_000, Size = 10_000_000 }, L1Devnet.Bob);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.OracleUpdate, Market = 7, Price = 3_100_000_000, Timestamp = 2 }, L1Devnet.OracleKey);
        while (sequencer.LoggedTransactions > (ulong)sequencer.Read(engine => CountExecuted(engine)))
        {
            await blocks.ReadAsync();
        }

        // The sequencer stops; its last blocks are posted and become final; then L1 hears nothing for the timeout.
        await devnet.Sequencer!.DisposeAsync();
        using var engine = ExecutionEngine.Open(Path.Combine(devnet.Directory.Path, "sequencer", "state"), devnet.EngineOptions(verifySignatures: false));
        var poster = new BatchPoster(devnet.SequencerClient(), new EngineBlocks(engine), new BatchPosterOptions(), NullLogger.Instance);
        while (await poster.PostNextAsync(default) is not null)
        {
        }
        await devnet.Dev.MineAsync(31);
        var alice = devnet.ClientOf(L1Devnet.Alice);
        await alice.FreezeAsync(default);
        Assert.Equal(engine.Head.StateRoot, await alice.GetEscapeStateRootAsync(default));

        foreach (var trader in new[] { L1Devnet.Alice, L1Devnet.Bob })
        {
            var account = engine.ProveAccount(trader.Address)!;
            var position = engine.ProvePosition(7, trader.Address)!;
            var market = engine.ProveMarketRecord(7)!;
            Assert.True(StateProofVerifier.Verify(market, engine.Head.StateRoot));
            var snapshot = StateRecords.DecodeMarket(market.Record);
            var (size, collateral, settledIndex) = StateRecords.DecodePosition(position.Record);
            // Funding not yet settled, as docs/contract.md states it: payers round up, receivers toward zero.
            var exactOwed = (Int128)size * (snapshot.FundingIndex - settledIndex);
            var owed = (long)(exactOwed > 0 ? (exactOwed + 999_999_999) / 1_000_000_000 : exactOwed / 1_000_000_000);
            var expected = Math.Max(0, account.FreeBalance) + Math.Max(0, collateral - owed + (long)((Int128)size * snapshot.MarkPrice / (long)snapshot.Params.SizeScale));

            var client = devnet.ClientOf(trader);
            var before = await SettlementDeployer.BalanceOfAsync(devnet.Rpc, devnet.Deployment.Token, trader.Address, default);
            await client.EscapeAsync(account, [(market, position)], default);
            var after = await SettlementDeployer.BalanceOfAsync(devnet.Rpc, devnet.Deployment.Token, trader.Address, default);
            Assert.Equal(expected, (long)(after - before));
            var again = await Assert.ThrowsAsync<L1RevertedException>(() => client.EscapeAsync(account, [(market, position)], default));
            Assert.Contains("AlreadyEscaped", again.Message, StringComparison.Ordinal);
        }
        await Assert.ThrowsAsync<L1RevertedException>(() => devnet.SequencerClient().DiscardPendingAsync(default));
    }

    private static long CountExecuted(ExecutionEngine engine)
    {
        long count = 0;
        for (var n = 1UL; n <= engine.Head.BlockNumber; n++)
        {
            count += engine.GetBlock(n)!.Block.Transactions.Length;
        }
        return count;
    }

    private sealed class EngineBlocks(ExecutionEngine engine) : IBlockSource
    {
        public ulong HeadBlock => engine.Head.BlockNumber;

        public BlockRecord? GetBlock(ulong number) => engine.GetBlock(number);

        public AccountsDomainState AccountsDomainStateAfter(ulong number) => engine.AccountsDomainStateAfter(number);
    }
}
