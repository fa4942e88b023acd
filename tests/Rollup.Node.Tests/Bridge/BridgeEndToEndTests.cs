using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Execution.State.Proofs;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Node.Bridge;
using Rollup.Node.Cli;
using Rollup.Primitives;
using Rollup.Sequencer;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Node.Tests.Bridge;

/// <summary>The rollup end to end on a real anvil: L1 deposit, L2 trade and withdrawal, batch, validator, L1 claim.</summary>
public class BridgeEndToEndTests
{
    private const ulong Usdc = 1_000_000;

    [Fact]
    public async Task Deposit_trade_withdraw_post_finalize_claim_and_a_validator_that_agrees_on_every_root()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = 5, TimelockDelayBlocks = 1 });
        var sequencer = devnet.StartSequencer();
        var blocks = sequencer.Subscribe(capacity: 100_000);

        // L1: two traders deposit.
        await devnet.FundAndDepositAsync(L1Devnet.Alice, minted: 1_000 * Usdc, deposited: 500 * Usdc);
        await devnet.FundAndDepositAsync(L1Devnet.Bob, minted: 1_000 * Usdc, deposited: 500 * Usdc);
        var watcher = new DepositWatcher(devnet.SequencerClient(), new SequencerDepositSink(sequencer), new DepositWatcherOptions { Confirmations = 1 }, NullLogger.Instance);
        await devnet.Dev.MineAsync(1);
        Assert.Equal(2, await watcher.PollAsync(default));
        await WaitUntil(blocks, sequencer, engine => engine.Head.NextDepositIndex == 2);
        Assert.Equal(500 * (long)Usdc, sequencer.Read(engine => engine.TryGetFreeBalance(L1Devnet.Alice.Address, out var balance) ? balance : -1));

        // L2: a market, a price, a trade, a withdrawal.
        var acks = new List<SubmitResult>
        {
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.CreateMarket, Market = 1, Params = SampleMarkets.Perpetual("BTC-PERP", L1Devnet.OracleKey.Address, tickSize: 100, fundingIntervalBlocks: 1000) }, L1Devnet.OperatorKey),
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.OracleUpdate, Market = 1, Price = 60_000_000_000, Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, L1Devnet.OracleKey),
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.TransferMargin, Market = 1, Amount = 300 * Usdc, ToMarket = true }, L1Devnet.Alice),
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.TransferMargin, Market = 1, Amount = 300 * Usdc, ToMarket = true }, L1Devnet.Bob),
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = 1, IsBuy = false, Price = 60_000_000_000, Size = 1_000_000 }, L1Devnet.Alice),
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.PlaceOrder, Market = 1, IsBuy = true, Price = 60_000_000_000, Size = 1_000_000 }, L1Devnet.Bob),
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = 100 * Usdc }, L1Devnet.Alice),
        };
        var withdrawn = await WaitForWithdrawal(blocks);
        var withdrawal = Assert.Single(withdrawn.Withdrawals);
        Assert.Equal(L1Devnet.Alice.Address, withdrawal.Account);
        Assert.Equal(1_000_000, sequencer.Read(engine => engine.ProvePosition(1, L1Devnet.Bob.Address)) ?.Position.Size);

        // Bridge: batches up to the withdrawal's block, committed on L1.
        var l1 = devnet.SequencerClient();
        using var posterProvable = new TempDirectory("rollup-provable");
        using var posterMarkets = new ProvableMarkets(posterProvable.Path, sequencer.Read(engine => engine.Options), n => sequencer.ReadStored(engine => engine.GetBlock(n)));
        var poster = new BatchPoster(l1, new ChainBlockSource(sequencer, posterMarkets), new BatchPosterOptions { Codec = Primitives.Compression.CompressionCodecId.Lz4 }, NullLogger.Instance);
        var committed = new List<BatchCommitment>();
        while (committed.Count == 0 || committed[^1].LastBlock < withdrawn.Number)
        {
            committed.Add((await poster.PostNextAsync(default))!);
        }
        for (var i = 1; i < committed.Count; i++)
        {
            Assert.Equal(committed[i - 1].LastBlock + 1, committed[i].FirstBlock);
            Assert.Equal(committed[i - 1].NewStateRoot, committed[i].PrevStateRoot);
        }

        var batchBlocks = await TransactionRootsOnL1AreThoseOfTheBlocksAndProveEveryAck(l1, sequencer, committed, acks);
        await BlocksRootsOnL1AreThoseOfTheBlocksAndProveEveryHeader(l1, batchBlocks);
        await ClaimsRootsOnL1HoldTheTracesAndProveTheirClaims(l1, sequencer, batchBlocks);

        // A validator that reads only L1 agrees with every batch.
        using var validatorDirectory = new TempDirectory("rollup-validator");
        using var validatorChain = new ExecutedChain(ExecutionEngine.Open(validatorDirectory.Path, devnet.EngineOptions(verifySignatures: true)));
        using var validatorProvable = new TempDirectory("rollup-validator-provable");
        using var validatorMarkets = new ProvableMarkets(validatorProvable.Path, validatorChain.Read(engine => engine.Options), n => validatorChain.ReadStored(engine => engine.GetBlock(n)));
        var validator = new Validator(devnet.SequencerClient(), new ChainExecutor(validatorChain, validatorMarkets), new ValidatorOptions(), NullLogger.Instance);
        var reports = new List<ValidationReport>();
        while (await validator.ValidateNextAsync(default) is { } report)
        {
            reports.Add(report);
        }
        Assert.Equal(committed.Count, reports.Count);
        Assert.All(reports, r => Assert.True(r.Agrees, string.Join("; ", r.Mismatches)));
        Assert.Equal(committed[^1].NewStateRoot, validatorChain.Read(engine => engine.Head.StateRoot));

        // L1: the claim waits for the challenge window, then pays once.
        var batch = (await l1.FindBatchAsync(withdrawn.Number, default))!.Value;
        var records = sequencer.Read(engine => Enumerable.Range((int)batch.FirstBlock, (int)(batch.LastBlock - batch.FirstBlock + 1)).Select(n => engine.GetBlock((ulong)n)!).ToList());
        var proof = BatchAssembler.ProveWithdrawal(BlockWithdrawals.Of(records), withdrawal.BlockNumber, withdrawal.TxIndex);
        Assert.True(StateProofVerifier.Verify(proof, batch.WithdrawalsRoot));
        // The root claimWithdrawal pays by is the batch's accounts claim end's, opened here from the sequencer's blocks.
        var accountsStart = sequencer.Read(engine => engine.AccountsDomainStateAfter(batch.FirstBlock - 1));
        var (_, accountsEnd) = Rollup.Execution.Steps.AccountsClaims.ClaimWithEndState(accountsStart, batch.FirstSequence, records);
        var (accounts, reason) = await l1.OpenAccountsEndAsync(batch.BatchIndex, accountsEnd.AbiEncode(), default);
        Assert.True(accounts is not null, reason);
        Assert.Equal(batch.WithdrawalsRoot, accounts!.WithdrawalsRoot);
        var alice = devnet.ClientOf(L1Devnet.Alice);
        Task Claim() => alice.ClaimWithdrawalAsync(batch.BatchIndex, withdrawal.BlockNumber, (uint)withdrawal.TxIndex, withdrawal.Account, (ulong)withdrawal.Amount, [], proof.Path.Siblings, accounts, default);

        var early = await Assert.ThrowsAsync<L1RevertedException>(Claim);
        Assert.Contains("BatchNotFinal", early.Message, StringComparison.Ordinal);
        // The withdrawal tool (rollup withdraw) with the proof from the node's gRPC API; Bob pays the gas.
        await using var server = await ApiTestHost.StartAsync(services => services.AddSingleton(new QueryService(sequencer)), endpoints => endpoints.MapGrpcService<QueryService>());
        using var channel = server.CreateChannel();
        var claimer = new WithdrawalClaimer(devnet.ClientOf(L1Devnet.Bob), channel, TextWriter.Null);
        var notYet = await claimer.ClaimAsync(withdrawal.BlockNumber, (uint)withdrawal.TxIndex, wait: false, default);
        Assert.Equal(ClaimResult.NotYet, notYet.Result);
        Assert.Equal(3, WithdrawCommand.ExitCode(notYet.Result));
        Assert.Contains("final from L1 block", notYet.Message, StringComparison.Ordinal);
        // A transaction that is not a withdrawal: its own outcome and exit code, the node's reason, no raw status.
        var notWithdrawal = await claimer.ClaimAsync(withdrawal.BlockNumber, (uint)withdrawal.TxIndex + 1_000, wait: false, default);
        Assert.Equal(ClaimResult.NotAWithdrawal, notWithdrawal.Result);
        Assert.Equal(6, WithdrawCommand.ExitCode(notWithdrawal.Result));
        Assert.DoesNotContain("Status(", notWithdrawal.Message, StringComparison.Ordinal);
        await devnet.Dev.MineAsync(5);
        Assert.True(await l1.IsFinalizedAsync(batch.BatchIndex, default));
        var before = await SettlementDeployer.BalanceOfAsync(devnet.Rpc, devnet.Deployment.Token, L1Devnet.Alice.Address, default);
        // An unknown hash names no withdrawal (6, with the node's sentence); the withdrawal's own ack hash claims it.
        var unknown = await claimer.ClaimAsync(new Hash256(Enumerable.Repeat((byte)0x5A, 32).ToArray()), wait: false, default);
        Assert.Equal(6, WithdrawCommand.ExitCode(unknown.Result));
        Assert.Contains("no executed transaction has hash", unknown.Message, StringComparison.Ordinal);
        var claimed = await claimer.ClaimAsync(acks[^1].TxHash, wait: false, default);
        Assert.True(claimed.Claimed, claimed.Message);
        var after = await SettlementDeployer.BalanceOfAsync(devnet.Rpc, devnet.Deployment.Token, L1Devnet.Alice.Address, default);
        Assert.Equal(100 * Usdc, (ulong)(after - before));
        Assert.Equal(600 * Usdc, (ulong)after); // 1,000 minted − 500 deposited + 100 withdrawn
        var twice = await Assert.ThrowsAsync<L1RevertedException>(Claim);
        Assert.Contains("AlreadyClaimed", twice.Message, StringComparison.Ordinal);
        var again = await claimer.ClaimAsync(withdrawal.BlockNumber, (uint)withdrawal.TxIndex, wait: false, default);
        Assert.Equal(ClaimResult.AlreadyClaimed, again.Result);
        // Not 3 (run again later): a script that retries on 3 must not loop on a claim that is done.
        Assert.Equal(5, WithdrawCommand.ExitCode(again.Result));
        Assert.Contains("already claimed", again.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Each batch's txRoot as L1 stored it is the tree of its blocks numbered by position in the chain (counted here
    /// from block 1, not taken from the commitment), and L1's transactionIncluded accepts the C# side's proof of every
    /// ack: the ack's (sequence, tx hash) is what the batch holds there. Returns each batch's blocks.
    /// </summary>
    private static async Task<List<List<Block>>> TransactionRootsOnL1AreThoseOfTheBlocksAndProveEveryAck(SettlementClient l1, Sequencer.Sequencer sequencer, List<BatchCommitment> committed, List<SubmitResult> acks)
    {
        var batchBlocks = new List<List<Block>>();
        var position = 0UL;
        foreach (var commitment in committed)
        {
            var blocks = sequencer.Read(engine => Enumerable.Range((int)commitment.FirstBlock, (int)(commitment.LastBlock - commitment.FirstBlock + 1)).Select(n => engine.GetBlock((ulong)n)!.Block).ToList());
            var stored = await l1.GetBatchAsync(commitment.BatchIndex, default);
            Assert.Equal(position, stored.FirstSequence);
            Assert.Equal((ulong)blocks.Sum(b => b.Transactions.Length), stored.TxCount);
            Assert.Equal(BatchTransactionRoot.Compute(position, blocks), new Hash256(stored.TxRoot));
            position += stored.TxCount;
            batchBlocks.Add(blocks);
        }
        Assert.True(position >= 9, "two deposits and seven signed transactions");

        foreach (var ack in acks)
        {
            var batch = (await l1.FindBatchBySequenceAsync(ack.Sequence, default))!.Value;
            var proof = BatchTransactionRoot.Prove(batch.FirstSequence, batchBlocks[(int)batch.BatchIndex], ack.Sequence);
            Assert.True(await l1.IsTransactionIncludedAsync(batch.BatchIndex, ack.Sequence, ack.TxHash, proof.Siblings, default), $"ack {ack.Sequence} on L1");
            var other = acks.First(a => a.Sequence != ack.Sequence);
            Assert.False(await l1.IsTransactionIncludedAsync(batch.BatchIndex, ack.Sequence, other.TxHash, proof.Siblings, default), $"ack {ack.Sequence} with another tx hash");
        }
        return batchBlocks;
    }

    /// <summary>
    /// Each batch's blocksRoot as L1 stored it is the tree of its blocks' headers, first sequences counted here from
    /// block 1, and L1's blockIncluded accepts the C# side's proof of every block's header, and not with another time.
    /// </summary>
    private static async Task BlocksRootsOnL1AreThoseOfTheBlocksAndProveEveryHeader(SettlementClient l1, List<List<Block>> batchBlocks)
    {
        var position = 0UL;
        var proven = 0;
        for (var batchIndex = 0; batchIndex < batchBlocks.Count; batchIndex++)
        {
            var blocks = batchBlocks[batchIndex];
            var stored = await l1.GetBatchAsync((ulong)batchIndex, default);
            Assert.Equal(BatchBlocksRoot.Compute(position, blocks), new Hash256(stored.BlocksRoot));
            var first = position;
            foreach (var block in blocks)
            {
                var count = (uint)block.Transactions.Length;
                var proof = BatchBlocksRoot.Prove(first, blocks, block.Number);
                Assert.True(await l1.IsBlockIncludedAsync((ulong)batchIndex, block.Number, block.Timestamp, position, count, proof.Siblings, default), $"block {block.Number} on L1");
                Assert.False(await l1.IsBlockIncludedAsync((ulong)batchIndex, block.Number, block.Timestamp + 1, position, count, proof.Siblings, default), $"block {block.Number} at another time");
                position += count;
                proven++;
            }
        }
        Assert.True(proven >= 2, "the deposits' block and the trades' blocks");
    }

    /// <summary>
    /// Each batch's claims root as L1 stored it is the tree of the claims of full traces built here from the blocks and
    /// receipts alone: the accounts domain's, and every market's created so far, each market traced from nothing through
    /// the batches in order with the accounts trace's routed messages (the poster took its markets' start from its
    /// provable engine and its routed messages from the receipts). L1's claimIncluded accepts each claim's proof and
    /// refuses it with a step more or under another domain.
    /// </summary>
    private static async Task ClaimsRootsOnL1HoldTheTracesAndProveTheirClaims(SettlementClient l1, Sequencer.Sequencer sequencer, List<List<Block>> batchBlocks)
    {
        var (domain, operators) = sequencer.Read(engine => (engine.Domain, engine.Options.Operators));
        var builder = new AccountsTraceBuilder(new AccountsSnapshot([], [], 0, 0, 0), domain, operators);
        var markets = new SortedDictionary<uint, MarketTraceBuilder>();
        var position = 0UL;
        var marketClaims = 0;
        for (var batchIndex = 0; batchIndex < batchBlocks.Count; batchIndex++)
        {
            var blocks = batchBlocks[batchIndex];
            var receipts = sequencer.Read(engine => blocks.Select(b => (IReadOnlyList<Receipt>)engine.GetBlock(b.Number)!.Receipts).ToList());
            var trace = builder.Trace(position, blocks, receipts);
            for (var b = 0; b < blocks.Count; b++)
            {
                for (var i = 0; i < blocks[b].Transactions.Length; i++)
                {
                    var tx = blocks[b].Transactions[i];
                    if (tx.Kind == TxKind.CreateMarket && receipts[b][i].Status == TxStatus.Accepted)
                    {
                        markets.Add(tx.Market, new MarketTraceBuilder(tx.Market, start: null));
                    }
                }
            }
            var inputs = MarketBatchInputs.Of(position, blocks, receipts, trace);
            var claims = new List<(DomainId Domain, DomainClaim Claim)> { (DomainId.Accounts, new DomainClaim(trace.Start.Hash(), trace.End.Hash(), (ulong)trace.Steps.Count)) };
            foreach (var (market, marketBuilder) in markets)
            {
                var marketTrace = marketBuilder.Trace(inputs);
                claims.Add((DomainId.OfMarket(market), new DomainClaim(marketTrace.Start.Hash(), marketTrace.End.Hash(), (ulong)marketTrace.Steps.Count)));
            }
            var stored = await l1.GetBatchAsync((ulong)batchIndex, default);
            Assert.Equal(BatchClaimsRoot.Compute(claims), new Hash256(stored.ClaimsRoot));
            if (claims.Count == 1)
            {
                Assert.Equal(AccountsClaimByHand.ClaimsRoot(trace), new Hash256(stored.ClaimsRoot));
            }

            foreach (var (id, claim) in claims)
            {
                var siblings = BatchClaimsRoot.Prove(claims, id).Siblings;
                Assert.True(await l1.IsClaimIncludedAsync((ulong)batchIndex, id, claim, siblings, default), $"batch {batchIndex}'s {id} claim on L1");
                Assert.False(await l1.IsClaimIncludedAsync((ulong)batchIndex, id, claim with { Steps = claim.Steps + 1 }, siblings, default), $"batch {batchIndex}'s {id} claim with a step more");
                Assert.False(await l1.IsClaimIncludedAsync((ulong)batchIndex, DomainId.OfMarket(99), claim, siblings, default), $"batch {batchIndex}'s {id} claim as market 99's");
                marketClaims += id.Kind == DomainId.MarketKind ? 1 : 0;
            }
            position += (ulong)blocks.Sum(b => b.Transactions.Length);
        }
        Assert.True(marketClaims > 0, "no batch claimed the market");
    }

    private static async Task WaitUntil(ChannelReader<BlockResult> blocks, Sequencer.Sequencer sequencer, Func<ExecutionEngine, bool> condition)
    {
        while (!sequencer.Read(condition))
        {
            await blocks.ReadAsync();
        }
    }

    private static async Task<BlockResult> WaitForWithdrawal(ChannelReader<BlockResult> blocks)
    {
        while (true)
        {
            var block = await blocks.ReadAsync();
            if (block.Withdrawals.Count > 0)
            {
                return block;
            }
        }
    }
}
