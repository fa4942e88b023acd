using System.Numerics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Steps;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// The dispute game end to end for market domains, on anvil: the engine's batch of two markets (created, funded by
/// margin transfers, traded, oracle-updated) traced in C# for the accounts domain and each market, committed with a
/// claims root holding all three claims; the market verifier, both provers and the game deployed. The sides bisect
/// a market's trace (the true one and a consistent lie) and the Solidity market prover judges the C# step's witness
/// against the accounts claim's outbox. Expected values come from the C# traces and docs/disputes.md's rules.
/// </summary>
public sealed class MarketDisputeTests(ITestOutputHelper output)
{
    private static readonly string[] OrderedRefusals = ["BadOrderedProof", "NotEdgeLeaf", "BadPositionLeaf", "BadBookLeaf"];
    /// <summary>The challenge window: shorter than the clocks, so a step that waits for a claim to be Final is proven in time.</summary>
    internal const ulong WindowBlocks = 100;

    internal static readonly DisputeGameConfig Config = new(ChallengerBond: 100_000_000_000_000_000, DefenderBond: 300_000_000_000_000_000, ClockBlocks: 200, BurnPpm: 250_000);

    [Fact]
    public async Task WrongMarketEndClaimed_ChallengerWinsWithTheMarketStepProof_OnlyThatMarketsClaimFalls()
    {
        await using var setup = await Setup.StartAsync();
        var (m, other) = (setup.Markets[0], setup.Markets[1]);
        var trace = setup.MarketTraces[m];
        var truth = Setup.Hashes(trace);
        var n = truth.Count - 1;
        // The defender's lie follows the true trace up to a routed message's step k, then differs from it.
        var k = trace.Steps.First(s => s.Index >= n / 2 && s.Kind == MarketStepKind.Message).Index;
        var lie = Setup.LieFrom(trace, k);
        await setup.CommitAsync(marketEnds: new Dictionary<uint, Hash256> { [m] = lie[n] });

        var claim = setup.MarketClaims[m];
        var (gameId, challenge) = await setup.Challenger.ChallengeAsync(0, DomainId.OfMarket(m), claim, setup.SiblingsOf(DomainId.OfMarket(m)), truth[n]);
        var (rounds, moveGas) = await DisputePlay.PlayAsync(setup.Defender, setup.Challenger, gameId, i => lie[(int)i], i => truth[(int)i]);
        Assert.True(rounds <= (int)Math.Ceiling(Math.Log2(n)), $"{rounds} rounds for {n} steps");
        var last = await setup.Challenger.GetGameAsync(gameId);
        Assert.Equal(((ulong)k, (ulong)k + 1, truth[k], lie[k + 1], truth[k + 1]), (last.Lo, last.Hi, last.Agreed, last.DefenderHash, last.ChallengerHash));

        // The other market's claim can still be disputed: its game opens.
        var otherClaim = setup.MarketClaims[other];
        var (otherGame, _) = await setup.Challenger.ChallengeAsync(0, DomainId.OfMarket(other), otherClaim, setup.SiblingsOf(DomainId.OfMarket(other)), Hash256.Zero);
        Assert.Equal(DisputeGameStatus.Open, (await setup.Challenger.GetGameAsync(otherGame)).Status);
        // A market step reads the accounts claim as it stands (Pending here): it is proven at once.
        var proof = await setup.Challenger.ProveMarketStepAsync(gameId, trace.Steps[k], setup.AccountsClaim);
        Assert.Equal(DisputeGameStatus.ChallengerWon, (await setup.Challenger.GetGameAsync(gameId)).Status);
        Assert.True(await setup.Challenger.IsClaimFallenAsync(0, DomainId.OfMarket(m)));
        Assert.False(await setup.Challenger.IsClaimFallenAsync(0, DomainId.OfMarket(other)));
        Assert.False(await setup.Challenger.IsClaimFallenAsync(0, DomainId.Accounts));
        Assert.Equal(Config.ChallengerBond + Config.DefenderBond - Config.Burnt(Config.DefenderBond), await setup.Challenger.GetCreditAsync(setup.Challenger.From));
        Assert.Equal(DisputeGameStatus.Open, (await setup.Challenger.GetGameAsync(otherGame)).Status);

        var gas = challenge.GasUsed + moveGas + proof.GasUsed;
        var verifierAlone = await setup.MarketVerifier.EstimateGasAsync(trace.Steps[k].Pre, trace.Context, trace.Steps[k].Witness);
        output.WriteLine($"market {m}: {n} steps, {rounds} rounds, step {k} ({trace.Steps[k].Kind} {KindOf(trace.Steps[k])}) proven: challenge {challenge.GasUsed}, " +
            $"moves {moveGas}, prove {proof.GasUsed} (the verifier alone {verifierAlone}), whole game {gas} gas");
    }

    [Fact]
    public async Task TrueMarketEndClaimed_DefenderWinsWithItsProof_OtherMarketsOrChangedProofsRefusedFirst()
    {
        await using var setup = await Setup.StartAsync();
        var (m, other) = (setup.Markets[1], setup.Markets[0]);
        var trace = setup.MarketTraces[m];
        var truth = Setup.Hashes(trace);
        var n = truth.Count - 1;
        // The challenger's lie leaves the truth at a step that reads the market's trees (an order, a margin move).
        var k = trace.Steps.First(s => s.Index >= 3 && s.Kind == MarketStepKind.Message && s.Witness.Any(IsOrderedRecord)).Index;
        var lie = Setup.LieFrom(trace, k);
        await setup.CommitAsync();

        var (gameId, _) = await setup.Challenger.ChallengeAsync(0, DomainId.OfMarket(m), setup.MarketClaims[m], setup.SiblingsOf(DomainId.OfMarket(m)), lie[n]);
        var (rounds, _) = await DisputePlay.PlayAsync(setup.Defender, setup.Challenger, gameId, i => truth[(int)i], i => lie[(int)i]);
        Assert.True(rounds <= (int)Math.Ceiling(Math.Log2(n)), $"{rounds} rounds for {n} steps");
        var last = await setup.Defender.GetGameAsync(gameId);
        Assert.Equal(((ulong)k, truth[k], truth[k + 1], lie[k + 1]), (last.Lo, last.Agreed, last.DefenderHash, last.ChallengerHash));

        var step = trace.Steps[k];
        // Another market's step: the prover's WrongMarket, before anything is run.
        var otherStep = setup.MarketTraces[other].Steps[k % setup.MarketTraces[other].Steps.Count];
        Assert.Equal("WrongMarket", await RefusalAsync(setup.Defender.ProveMarketStepAsync(gameId, otherStep, setup.AccountsClaim)));
        // The step's witness with an ordered leaf's record changed: the verifier's refusal, through prover and game.
        var i = step.Witness.ToList().FindIndex(IsOrderedRecord);
        var leaf = ((MarketWitnessLeaf.Ordered)step.Witness[i]).Leaf;
        var record = (byte[])leaf.Record.Clone();
        record[^1] ^= 1;
        var tampered = step.Witness.Select((l, j) => j == i ? new MarketWitnessLeaf.Ordered(leaf with { Record = record }) : l).ToList();
        Assert.Contains(await RefusalAsync(setup.Defender.ProveAsync(gameId, MarketOneStepProof.Encode(step.Pre, tampered, setup.AccountsClaim))),
            OrderedRefusals);
        // An accounts end other than the claimed one (another outbox root): the prover's AccountsClaimNotInBatch.
        var wrongAccounts = setup.AccountsClaim with { End = setup.AccountsClaim.End with { OutboxRoot = Keccak256.Compute(setup.AccountsClaim.End.OutboxRoot.ToArray()) } };
        Assert.Equal("AccountsClaimNotInBatch", await RefusalAsync(setup.Defender.ProveMarketStepAsync(gameId, step, wrongAccounts)));
        Assert.Equal(DisputeGameStatus.Open, (await setup.Defender.GetGameAsync(gameId)).Status);

        var proof = await setup.Defender.ProveMarketStepAsync(gameId, step, setup.AccountsClaim);
        Assert.Equal(DisputeGameStatus.DefenderWon, (await setup.Defender.GetGameAsync(gameId)).Status);
        Assert.False(await setup.Defender.IsClaimFallenAsync(0, DomainId.OfMarket(m)));
        Assert.Equal(Config.DefenderBond + Config.ChallengerBond - Config.Burnt(Config.ChallengerBond), await setup.Defender.GetCreditAsync(Setup.Sequencer.Address));
        output.WriteLine($"market {m}: {n} steps, {rounds} rounds, step {k} ({step.Kind} {KindOf(step)}) proven by the defender: prove {proof.GasUsed} gas");
    }

    [Fact]
    public async Task AccountsReplyDisputed_DefenderProvesItWithTheMarketsOutboxClaim()
    {
        await using var setup = await Setup.StartAsync();
        var trace = setup.AccountsTrace;
        var truth = Setup.Hashes(trace);
        var n = truth.Count - 1;
        var k = trace.Steps.First(s => s.Kind == AccountsStepKind.Reply && s.Outcome.Credit > 0).Index;
        var lie = truth.Select((h, i) => i <= k ? h : Keccak256.Compute([.. h.ToArray(), .. "a lie"u8])).ToList();
        await setup.CommitAsync();

        var (gameId, _) = await setup.Challenger.ChallengeAsync(0, DomainId.Accounts, setup.AccountsClaim.Claim, setup.AccountsClaim.Siblings, lie[n]);
        await DisputePlay.PlayAsync(setup.Defender, setup.Challenger, gameId, i => truth[(int)i], i => lie[(int)i]);
        Assert.Equal((ulong)k, (await setup.Defender.GetGameAsync(gameId)).Lo);

        var step = trace.Steps[k];
        // A Reply reads its market's claim: proven only once that claim is Final.
        var outboxes = setup.Markets.Select(setup.OutboxClaimOf).ToList();
        Assert.Equal("InputNotFinal", await RefusalAsync(setup.Defender.ProveAccountsStepAsync(gameId, step, outboxes)));
        await setup.MinePastTheWindowAsync();
        // Without the markets' claims the verifier has no outbox to read the reply from.
        Assert.Equal("NoMarketOutbox", await RefusalAsync(setup.Defender.ProveAccountsStepAsync(gameId, step)));
        var forged = outboxes.Select(c => c with { End = c.End with { Outbox = Keccak256.Compute(c.End.Outbox.ToArray()) } }).ToList();
        Assert.Equal("OutboxNotClaimed", await RefusalAsync(setup.Defender.ProveAccountsStepAsync(gameId, step, forged)));
        var proof = await setup.Defender.ProveAccountsStepAsync(gameId, step, outboxes);
        Assert.Equal(DisputeGameStatus.DefenderWon, (await setup.Defender.GetGameAsync(gameId)).Status);
        output.WriteLine($"accounts: {n} steps, Reply step {k} proven with {outboxes.Count} market outbox claims: prove {proof.GasUsed} gas");
    }

    /// <summary>A Message step's transaction kind: input leaf 1 is its transaction, whose first byte is its kind.</summary>
    private static TxKind KindOf(MarketStep step) => (TxKind)step.Witness.OfType<MarketWitnessLeaf.Input>().ElementAt(1).Leaf.Record[0];

    private static bool IsOrderedRecord(MarketWitnessLeaf leaf) => leaf is MarketWitnessLeaf.Ordered { Leaf.Record.Length: > 0 };

    private static async Task<string?> RefusalAsync(Task move) => (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => move)).Error;

    /// <summary>
    /// A fresh anvil with the settlement contract; four blocks of a two-market flow run by the engine in the
    /// contract's EIP-712 domain and traced (accounts and each market); their deposits queued on L1; the accounts
    /// verifier and prover, the market verifier and prover, and the game deployed.
    /// </summary>
    internal sealed class Setup : IAsyncDisposable
    {
        private readonly AnvilProcess _anvil;
        private readonly MarketStepChain _chain;
        private readonly SettlementDeployment _deployment;
        private readonly TracedBatch _batch;
        private (DomainId, DomainClaim)[] _claims = [];

        private Setup(AnvilProcess anvil, L1Client l1, MarketStepChain chain, SettlementDeployment deployment, TracedBatch batch, AccountsSnapshot accountsStart,
            IReadOnlyDictionary<uint, MarketTrace> markets, MarketStepVerifierClient marketVerifier, DisputeGameClient defender)
        {
            AccountsStart = accountsStart;
            MarketVerifier = marketVerifier;
            _anvil = anvil;
            L1 = l1;
            _chain = chain;
            _deployment = deployment;
            _batch = batch;
            MarketTraces = markets;
            Markets = [.. markets.Keys];
            Defender = defender;
            Challenger = defender.As(new TransactionSender(l1, AnvilProcess.DevKey(2), AnvilProcess.DefaultChainId));
        }

        public L1Client L1 { get; }

        public AnvilRpc Dev => new(L1);

        /// <summary>The engine that ran the batch (its EIP-712 domain and operators).</summary>
        public MarketStepChain Chain => _chain;

        /// <summary>The batch as the engine executed it: blocks and receipts.</summary>
        public TracedBatch Batch => _batch;

        /// <summary>The accounts domain as the engine held it before the batch.</summary>
        public AccountsSnapshot AccountsStart { get; }

        /// <summary>The claims the batch was committed with.</summary>
        public IReadOnlyList<(DomainId Domain, DomainClaim Claim)> Claims => _claims;

        public MarketStepVerifierClient MarketVerifier { get; }

        public static PrivateKey Sequencer => AnvilProcess.DevKey(0);

        public AccountsTrace AccountsTrace => _batch.Trace;

        public IReadOnlyDictionary<uint, MarketTrace> MarketTraces { get; }

        public IReadOnlyList<uint> Markets { get; }

        public DisputeGameClient Defender { get; }

        public DisputeGameClient Challenger { get; }

        /// <summary>The settlement contract, read only: the batches as a validator reads them.</summary>
        public SettlementClient Settlement => new(L1, _deployment.Settlement);

        /// <summary>
        /// Mines L1 to batch 0's window end, where its claims turn Final (no game is set on the settlement): what a step
        /// that reads another domain's claim is proven after (docs/disputes.md, "A game").
        /// </summary>
        public async Task MinePastTheWindowAsync()
        {
            var finalAt = await Settlement.GetFinalAtAsync(0, default);
            var now = await L1.GetBlockNumberAsync();
            if (now < finalAt)
            {
                await Dev.MineAsync(finalAt - now);
            }
        }

        /// <summary>The accounts claim as committed (true), opened with its end state.</summary>
        public AccountsOutboxClaim AccountsClaim { get; private set; } = null!;

        public Dictionary<uint, DomainClaim> MarketClaims { get; } = [];

        public List<Hash256> SiblingsOf(DomainId domain) => BatchClaimsRoot.Prove(_claims, domain).Siblings.ToList();

        /// <summary>Market <paramref name="market"/>'s true claim opened with its end state.</summary>
        public MarketOutboxClaim OutboxClaimOf(uint market)
        {
            var trace = MarketTraces[market];
            return new MarketOutboxClaim(market, trace.Start.Hash(), trace.End, (ulong)trace.Steps.Count, SiblingsOf(DomainId.OfMarket(market)));
        }

        public static List<Hash256> Hashes(MarketTrace trace) => [trace.Start.Hash(), .. trace.Steps.Select(s => s.Post.Hash())];

        public static List<Hash256> Hashes(AccountsTrace trace) => [trace.Start.Hash(), .. trace.Steps.Select(s => s.Post.Hash())];

        /// <summary>A consistent lie: the true states up to index k, then each with its receipts chain as if one more receipt had been folded in.</summary>
        public static List<Hash256> LieFrom(MarketTrace trace, int k)
        {
            var states = new List<MarketState> { trace.Start };
            states.AddRange(trace.Steps.Select(s => s.Post));
            return states.Select((s, i) => i <= k ? s.Hash() : (s with { Receipts = Keccak256.Compute(s.Receipts.ToArray()) }).Hash()).ToList();
        }

        /// <summary>
        /// Commits the batch with the accounts claim and every market's, each true unless <paramref name="marketEnds"/>
        /// names another end or <paramref name="marketSteps"/> another step count.
        /// </summary>
        public async Task CommitAsync(Dictionary<uint, Hash256>? marketEnds = null, Dictionary<uint, ulong>? marketSteps = null)
        {
            var accounts = new DomainClaim(AccountsTrace.Start.Hash(), AccountsTrace.End.Hash(), (ulong)AccountsTrace.Steps.Count);
            var claims = new List<(DomainId, DomainClaim)> { (DomainId.Accounts, accounts) };
            foreach (var (market, trace) in MarketTraces)
            {
                var end = marketEnds is not null && marketEnds.TryGetValue(market, out var e) ? e : trace.End.Hash();
                var steps = marketSteps is not null && marketSteps.TryGetValue(market, out var n) ? n : (ulong)trace.Steps.Count;
                MarketClaims[market] = new DomainClaim(trace.Start.Hash(), end, steps);
                claims.Add((DomainId.OfMarket(market), MarketClaims[market]));
            }
            _claims = [.. claims];
            AccountsClaim = new AccountsOutboxClaim(accounts.Start, AccountsTrace.End, accounts.Steps, SiblingsOf(DomainId.Accounts));

            var sequencer = new TransactionSender(L1, Sequencer, AnvilProcess.DefaultChainId);
            var settlement = new SettlementClient(L1, _deployment.Settlement, new ContractTransactor(L1, sequencer, ContractArtifact.Settlement, NullLogger.Instance));
            var data = Encoding.ASCII.GetBytes("the batch's data: not read by the game");
            await settlement.PostPartAsync(0, 0, data, default);
            var accumulator = Keccak256.Compute([.. new byte[32], .. Keccak256.Compute(data).ToArray()]);
            var blocks = _batch.Blocks;
            var txCount = (ulong)blocks.Sum(b => b.Transactions.Length);
            var deposits = (ulong)blocks.Sum(b => b.Transactions.Count(t => t.Kind == TxKind.Deposit));
            await settlement.CommitAsync(new BatchCommitment(
                0, blocks[0].Number, blocks[^1].Number, accumulator, Hash256.Zero, _chain.Engine.Head.StateRoot, Hash256.Zero,
                AccountsTrace.End.WithdrawalsRoot, deposits, 0, txCount, AccountsTrace.Context.TxRoot, AccountsTrace.Context.BlocksRoot,
                BatchClaimsRoot.Compute(_claims)), _claims, default);
            foreach (var (domain, claim) in _claims)
            {
                Assert.True(await settlement.IsClaimIncludedAsync(0, domain, claim, SiblingsOf(domain), default));
            }
        }

        public static async Task<Setup> StartAsync()
        {
            var anvil = await AnvilProcess.StartAsync();
            var l1 = new L1Client(anvil.Endpoint);
            var deployer = new TransactionSender(l1, AnvilProcess.DevKey(1), AnvilProcess.DefaultChainId);
            var deployment = await SettlementDeployer.DeployAsync(deployer, Sequencer.Address, deployer.Address,
                new SettlementConfig { ChallengeWindowBlocks = WindowBlocks }, Hash256.Zero, default);

            // The engine signs and checks in the deployed contract's EIP-712 domain, as the accounts verifier does.
            var options = StepChain.Options with { SettlementContract = deployment.Settlement };
            var chain = new MarketStepChain(options: options);
            var accountsStart = chain.Engine.SnapshotAccounts();
            var generator = new ChainFlowGenerator(4242, markets: 2, accounts: 12, signingDomain: RollupDomain.Create(options.ChainId, deployment.Settlement));
            var (batch, markets) = chain.Run([generator.Next(), generator.Next(), generator.Next(60), generator.Next(60)]);
            AssertTheFlowIsWhatTheGamesNeed(batch, markets);

            var depositor = new TransactionSender(l1, AnvilProcess.DevKey(3), AnvilProcess.DefaultChainId);
            var deposits = batch.Blocks.SelectMany(b => b.Transactions).Where(t => t.Kind == TxKind.Deposit).ToList();
            var total = deposits.Aggregate(BigInteger.Zero, (sum, t) => sum + t.Amount);
            await SettlementDeployer.MintAsync(depositor, deployment.Token, depositor.Address, total, default);
            (await depositor.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Token, Data = ContractArtifact.MockUsdc.EncodeCall("approve", deployment.Settlement.ToString(), total) })).EnsureSucceeded();
            foreach (var deposit in deposits)
            {
                var call = ContractArtifact.Settlement.EncodeCall("deposit", deposit.Amount, deposit.Account.ToString());
                (await depositor.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Settlement, Data = call })).EnsureSucceeded();
            }

            var accountsVerifier = await AccountsStepVerifierClient.DeployAsync(l1, deployer, options.ChainId, deployment.Settlement, options.Operators, default);
            var accountsProver = await DisputeGameClient.DeployAccountsProverAsync(deployer, deployment.Settlement, accountsVerifier.Address, default);
            var marketVerifier = await MarketStepVerifierClient.DeployAsync(l1, deployer, default);
            var marketProver = await DisputeGameClient.DeployMarketProverAsync(deployer, deployment.Settlement, marketVerifier.Address, default);
            var game = await DisputeGameClient.DeployAsync(l1, deployer, deployment.Settlement, accountsProver, marketProver, Config, default);
            Assert.Equal(marketProver, await game.GetProverAsync(DomainId.OfMarket(1)));
            var defender = game.As(new TransactionSender(l1, Sequencer, AnvilProcess.DefaultChainId));
            return new Setup(anvil, l1, chain, deployment, batch, accountsStart, markets, marketVerifier, defender);
        }

        /// <summary>Two markets created, traded (fills), with oracle updates and margin moved both ways; the traces' inputs those the accounts trace and its outboxes name.</summary>
        private static void AssertTheFlowIsWhatTheGamesNeed(TracedBatch batch, IReadOnlyDictionary<uint, MarketTrace> markets)
        {
            Assert.Equal([1u, 2u], markets.Keys.ToArray());
            var events = batch.Results.SelectMany(r => r.Events).ToList();
            var txs = batch.Blocks.SelectMany(b => b.Transactions).ToList();
            foreach (var (market, trace) in markets)
            {
                Assert.Contains(events, e => e.Kind == EventKind.Fill && e.Market == market);
                Assert.Contains(txs, t => t.Kind == TxKind.OracleUpdate && t.Market == market);
                Assert.Equal((batch.Trace.Context.TxRoot, batch.Trace.Context.BlocksRoot, batch.Trace.End.OutboxRoot), (trace.Context.TxRoot, trace.Context.BlocksRoot, trace.Context.AccountsOutboxRoot));
                Assert.Equal(trace.End.Outbox, batch.Trace.Context.MarketOutboxes[market]);
            }
            Assert.Contains(batch.Trace.Steps, s => s.Kind == AccountsStepKind.Reply && s.Outcome.Credit > 0);
        }

        public async ValueTask DisposeAsync()
        {
            L1.Dispose();
            await _anvil.StopAsync();
            _anvil.Dispose();
            _chain.Dispose();
        }
    }
}
