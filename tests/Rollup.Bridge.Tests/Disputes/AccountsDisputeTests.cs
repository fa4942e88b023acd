using System.Numerics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
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
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// The dispute game end to end for the accounts domain, on anvil: the settlement contract, the C# engine's batch of
/// deposits and withdrawals committed with an accounts claim, the verifier, the prover and the game deployed; the two
/// sides bisect from C# traces (the true one, and a consistent lie that leaves it after some step) down to one step,
/// whose C# witness the prover judges. Expected values come from the true trace and docs/disputes.md's rules.
/// </summary>
public sealed class AccountsDisputeTests(ITestOutputHelper output)
{
    private static readonly DisputeGameConfig Config = new(ChallengerBond: 100_000_000_000_000_000, DefenderBond: 300_000_000_000_000_000, ClockBlocks: 40, BurnPpm: 250_000);
    private static readonly Address Burn = Address.Parse("0x000000000000000000000000000000000000dEaD");

    [Fact]
    public async Task WrongEndClaimed_ChallengerBisectsFromTheTrueTraceAndWinsWithTheOneStepProof()
    {
        await using var setup = await Setup.StartAsync();
        var truth = setup.Truth;
        var n = truth.Count - 1;
        // The defender's lie: the true trace up to the step at k (an L1 deposit), then every state with one unit more
        // deposited than L1 holds: a consistent trace ending at the claimed, wrong end.
        var k = setup.Trace.Steps.First(s => s.Index >= n / 2 && s.Kind == AccountsStepKind.Transaction && s.Deposit.Amount > 0).Index;
        var lie = setup.LieFrom(k);
        Assert.NotEqual(truth[n], lie[n]);
        await setup.CommitAsync(lie[n]);

        var dead = await setup.BalanceAsync(Burn);
        var (gameId, challenge) = await setup.Challenger.ChallengeAsync(0, DomainId.Accounts, setup.Claim, setup.ClaimSiblings, truth[n]);
        var gas = challenge.GasUsed;
        var started = await setup.Challenger.GetGameAsync(gameId);
        Assert.Equal((DisputeGameStatus.Open, DisputeSide.Defender, 0UL, (ulong)n), (started.Status, started.ToMove, started.Lo, started.Hi));
        Assert.Equal((Setup.Sequencer.Address, setup.Challenger.From, truth[0], lie[n], truth[n]), (started.Defender, started.Challenger, started.Agreed, started.DefenderHash, started.ChallengerHash));
        Assert.Equal("NotOneStep", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Challenger.ProveAccountsStepAsync(gameId, setup.Trace.Steps[k]))).Error);
        Assert.Equal("NotYourTurn", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Challenger.AnswerAsync(gameId, true, Hash256.Zero))).Error);

        var (rounds, moveGas) = await PlayAsync(setup, gameId, defenderAt: i => lie[(int)i], challengerAt: i => truth[(int)i]);
        gas += moveGas;
        Assert.Equal(32, n);
        Assert.Equal((int)Math.Ceiling(Math.Log2(n)), rounds);
        var last = await setup.Challenger.GetGameAsync(gameId);
        Assert.Equal(((ulong)k, (ulong)k + 1, truth[k], lie[k + 1], truth[k + 1]), (last.Lo, last.Hi, last.Agreed, last.DefenderHash, last.ChallengerHash));
        Assert.Equal("OneStepLeft", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Defender.BisectAsync(gameId, lie[k]))).Error);

        // The challenger proves the step on the defender's clock, from the C# trace's witness of step k.
        var proof = await setup.Challenger.ProveAccountsStepAsync(gameId, setup.Trace.Steps[k]);
        gas += proof.GasUsed;
        var ended = await setup.Challenger.GetGameAsync(gameId);
        Assert.Equal(DisputeGameStatus.ChallengerWon, ended.Status);
        Assert.True(await setup.Challenger.IsClaimFallenAsync(0, DomainId.Accounts));
        // The winner's own bond back plus the loser's less the burnt share of the loser's bond.
        var burnt = Config.DefenderBond * Config.BurnPpm / 1_000_000;
        Assert.Equal(Config.ChallengerBond + Config.DefenderBond - burnt, await setup.Challenger.GetCreditAsync(setup.Challenger.From));
        Assert.Equal(BigInteger.Zero, await setup.Challenger.GetCreditAsync(Setup.Sequencer.Address));
        Assert.Equal(dead + burnt, await setup.BalanceAsync(Burn));
        Assert.Equal(Config.ChallengerBond + Config.DefenderBond - burnt, await setup.BalanceAsync(setup.Challenger.Address));

        // Pulled: the challenger's balance grows by its credit less the withdrawal's fee, and the game holds nothing.
        var before = await setup.BalanceAsync(setup.Challenger.From);
        var withdrawal = await setup.Challenger.WithdrawAsync();
        Assert.Equal(before + Config.ChallengerBond + Config.DefenderBond - burnt - (withdrawal.GasUsed * withdrawal.EffectiveGasPrice), await setup.BalanceAsync(setup.Challenger.From));
        Assert.Equal(BigInteger.Zero, await setup.BalanceAsync(setup.Challenger.Address));
        Assert.Equal("NothingToWithdraw", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Challenger.WithdrawAsync())).Error);
        // A fallen claim takes no new challenge.
        var other = setup.Challenger.As(setup.Sender(5));
        Assert.Equal("ClaimFallen", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => other.ChallengeAsync(0, DomainId.Accounts, setup.Claim, setup.ClaimSiblings, truth[n]))).Error);
        output.WriteLine($"{n} steps, {rounds} rounds, step {k} proven ({setup.Trace.Steps[k].Kind}, deposit {setup.Trace.Steps[k].Deposit.Amount}): challenge {challenge.GasUsed}, moves {moveGas}, prove {proof.GasUsed}, whole game {gas} gas");
    }

    [Fact]
    public async Task TrueEndClaimed_DefenderWinsAgainstALyingChallengerWithItsOneStepProof()
    {
        await using var setup = await Setup.StartAsync();
        var truth = setup.Truth;
        var n = truth.Count - 1;
        // The challenger's lie leaves the truth after a signed withdrawal early in the batch.
        var k = setup.Trace.Steps.First(s => s.Index >= 3 && s.Kind == AccountsStepKind.Transaction && s.Deposit.Amount == 0 && s.Witness.Count > 1).Index;
        var lie = setup.LieFrom(k);
        await setup.CommitAsync(truth[n]);

        var dead = await setup.BalanceAsync(Burn);
        var (gameId, _) = await setup.Challenger.ChallengeAsync(0, DomainId.Accounts, setup.Claim, setup.ClaimSiblings, lie[n]);
        var (rounds, _) = await PlayAsync(setup, gameId, defenderAt: i => truth[(int)i], challengerAt: i => lie[(int)i]);
        Assert.Equal((int)Math.Ceiling(Math.Log2(n)), rounds);
        var last = await setup.Defender.GetGameAsync(gameId);
        Assert.Equal(((ulong)k, truth[k], truth[k + 1], lie[k + 1]), (last.Lo, last.Agreed, last.DefenderHash, last.ChallengerHash));

        // A proof of another step than the one left is refused and decides nothing.
        Assert.Equal("WrongPreState", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Defender.ProveAccountsStepAsync(gameId, setup.Trace.Steps[k + 1]))).Error);
        // So are the step's witness with a sibling changed (the verifier's error, through the prover and the game) and
        // a proof naming a market outbox no claim of the batch vouches for (the prover's).
        var step = setup.Trace.Steps[k];
        var leaf = step.Witness.First(l => l.Proof.Siblings.Count > 0);
        var siblings = leaf.Proof.Siblings.ToArray();
        siblings[0] = Keccak256.Compute(siblings[0].ToArray());
        var tampered = step.Witness.Select(l => ReferenceEquals(l, leaf) ? l with { Proof = l.Proof with { Siblings = siblings } } : l).ToList();
        Assert.Equal("BadProof", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Defender.ProveAsync(gameId, AccountsOneStepProof.Encode(step.Pre, tampered)))).Error);
        MarketOutboxClaim[] unclaimed = [new(7, truth[0], new MarketState { Market = 7, Outbox = truth[1] }, 3, [])];
        var withOutbox = AccountsOneStepProof.Encode(step.Pre, step.Witness, unclaimed);
        Assert.Equal("OutboxNotClaimed", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Defender.ProveAsync(gameId, withOutbox))).Error);
        Assert.Equal(DisputeGameStatus.Open, (await setup.Defender.GetGameAsync(gameId)).Status);
        await setup.Defender.ProveAccountsStepAsync(gameId, setup.Trace.Steps[k]);
        Assert.Equal(DisputeGameStatus.DefenderWon, (await setup.Defender.GetGameAsync(gameId)).Status);
        Assert.False(await setup.Defender.IsClaimFallenAsync(0, DomainId.Accounts));
        var burnt = Config.ChallengerBond * Config.BurnPpm / 1_000_000;
        Assert.Equal(Config.DefenderBond + Config.ChallengerBond - burnt, await setup.Defender.GetCreditAsync(Setup.Sequencer.Address));
        Assert.Equal(BigInteger.Zero, await setup.Defender.GetCreditAsync(setup.Challenger.From));
        Assert.Equal(dead + burnt, await setup.BalanceAsync(Burn));
        await setup.Defender.WithdrawAsync();
        Assert.Equal(BigInteger.Zero, await setup.BalanceAsync(setup.Defender.Address));
        Assert.Equal("GameNotOpen", (await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Challenger.TimeoutAsync(gameId))).Error);
    }

    [Fact]
    public async Task DefenderThatDoesNotMove_LosesOnItsClock()
    {
        await using var setup = await Setup.StartAsync();
        var truth = setup.Truth;
        var n = truth.Count - 1;
        await setup.CommitAsync(setup.LieFrom(n - 1)[n]);
        var (gameId, challenge) = await setup.Challenger.ChallengeAsync(0, DomainId.Accounts, setup.Claim, setup.ClaimSiblings, truth[n]);

        await setup.Dev.MineAsync(5);
        var elapsed = await setup.L1.GetBlockNumberAsync() - challenge.BlockNumber;
        Assert.Equal((Config.ClockBlocks - elapsed, Config.ClockBlocks), await setup.Challenger.GetClocksAsync(gameId));
        var early = await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Challenger.TimeoutAsync(gameId));
        Assert.Equal("ClockNotOut", early.Error);

        // Mined past the defender's clock instead of waiting: from the block it runs out on, only timeout is left.
        await setup.Dev.MineAsync(Config.ClockBlocks);
        Assert.Equal((0UL, Config.ClockBlocks), await setup.Challenger.GetClocksAsync(gameId));
        var late = await Assert.ThrowsAsync<DisputeGameRevertedException>(() => setup.Defender.BisectAsync(gameId, truth[n / 2]));
        Assert.Equal("ClockOut", late.Error);
        Assert.Equal(challenge.BlockNumber + Config.ClockBlocks, (ulong)(BigInteger)late.Reason.Arguments[0]!);

        var dead = await setup.BalanceAsync(Burn);
        await setup.Challenger.As(setup.Sender(5)).TimeoutAsync(gameId);
        Assert.Equal(DisputeGameStatus.ChallengerWon, (await setup.Challenger.GetGameAsync(gameId)).Status);
        Assert.True(await setup.Challenger.IsClaimFallenAsync(0, DomainId.Accounts));
        // The defender never posted its bond: the challenger gets its own back, nothing is burnt.
        Assert.Equal(Config.ChallengerBond, await setup.Challenger.GetCreditAsync(setup.Challenger.From));
        Assert.Equal(dead, await setup.BalanceAsync(Burn));
    }

    private static Task<(int Rounds, ulong Gas)> PlayAsync(Setup setup, Hash256 gameId, Func<ulong, Hash256> defenderAt, Func<ulong, Hash256> challengerAt) =>
        DisputePlay.PlayAsync(setup.Defender, setup.Challenger, gameId, defenderAt, challengerAt);

    /// <summary>
    /// A fresh anvil with the settlement contract, a batch of four blocks (deposits, then withdrawals and more
    /// deposits; no market, so no Reply step) executed by the engine and traced, its deposits queued on L1, and the
    /// verifier, the prover and the game deployed.
    /// </summary>
    private sealed class Setup : IAsyncDisposable
    {
        private readonly AnvilProcess _anvil;
        private readonly StepChain _chain;
        private readonly SettlementDeployment _deployment;
        private readonly TracedBatch _batch;

        private Setup(AnvilProcess anvil, L1Client l1, StepChain chain, SettlementDeployment deployment, TracedBatch batch, DisputeGameClient defender)
        {
            _anvil = anvil;
            L1 = l1;
            _chain = chain;
            _deployment = deployment;
            _batch = batch;
            Defender = defender;
            Challenger = defender.As(Sender(2));
            Dev = new AnvilRpc(l1);
            Truth = [batch.Trace.Start.Hash(), .. batch.Trace.Steps.Select(s => s.Post.Hash())];
        }

        public L1Client L1 { get; }

        public AnvilRpc Dev { get; }

        public AccountsTrace Trace => _batch.Trace;

        /// <summary>The state hash at every step index 0 .. n of the true trace.</summary>
        public IReadOnlyList<Hash256> Truth { get; }

        public static PrivateKey Sequencer => AnvilProcess.DevKey(0);

        public DisputeGameClient Defender { get; }

        public DisputeGameClient Challenger { get; }

        public DomainClaim Claim { get; private set; }

        public IReadOnlyList<Hash256> ClaimSiblings { get; private set; } = [];

        public TransactionSender Sender(int dev) => new(L1, AnvilProcess.DevKey(dev), AnvilProcess.DefaultChainId);

        public Task<BigInteger> BalanceAsync(Address account) =>
            L1.RunAsync("eth_getBalance", async eth => (await eth.GetBalance.SendRequestAsync(account.ToString(), BlockParameter.CreateLatest())).Value);

        /// <summary>A consistent lie: the true states up to index k, then each with one unit more deposited than L1 holds.</summary>
        public List<Hash256> LieFrom(int k)
        {
            var states = new List<AccountsState> { Trace.Start };
            states.AddRange(Trace.Steps.Select(s => s.Post));
            return states.Select((s, i) => i <= k ? s.Hash() : (s with { TotalDeposits = s.TotalDeposits + 1 }).Hash()).ToList();
        }

        /// <summary>Posts the batch's data and commits it with one claim, the accounts domain's, ending at <paramref name="end"/>.</summary>
        public async Task CommitAsync(Hash256 end)
        {
            Claim = new DomainClaim(Trace.Start.Hash(), end, (ulong)Trace.Steps.Count);
            (DomainId, DomainClaim)[] claims = [(DomainId.Accounts, Claim)];
            ClaimSiblings = BatchClaimsRoot.Prove(claims, DomainId.Accounts).Siblings.ToList();
            var sequencer = new TransactionSender(L1, Sequencer, AnvilProcess.DefaultChainId);
            var settlement = new SettlementClient(L1, _deployment.Settlement, new ContractTransactor(L1, sequencer, ContractArtifact.Settlement, NullLogger.Instance));
            var data = Encoding.ASCII.GetBytes("the batch's data: not read by the game");
            await settlement.PostPartAsync(0, 0, data, default);
            var accumulator = Keccak256.Compute([.. new byte[32], .. Keccak256.Compute(data).ToArray()]);
            var txCount = (ulong)_batch.Blocks.Sum(b => b.Transactions.Length);
            var deposits = (ulong)_batch.Blocks.Sum(b => b.Transactions.Count(t => t.Kind == TxKind.Deposit));
            await settlement.CommitAsync(new BatchCommitment(
                0, _batch.Blocks[0].Number, _batch.Blocks[^1].Number, accumulator, Hash256.Zero, _chain.Engine.Head.StateRoot, Hash256.Zero,
                Trace.End.WithdrawalsRoot, deposits, 0, txCount, Trace.Context.TxRoot, Trace.Context.BlocksRoot, BatchClaimsRoot.Compute(claims)), claims, default);
            Assert.True(await settlement.IsClaimIncludedAsync(0, DomainId.Accounts, Claim, ClaimSiblings, default));
        }

        public static async Task<Setup> StartAsync()
        {
            var anvil = await AnvilProcess.StartAsync();
            var l1 = new L1Client(anvil.Endpoint);
            var deployer = new TransactionSender(l1, AnvilProcess.DevKey(1), AnvilProcess.DefaultChainId);
            var deployment = await SettlementDeployer.DeployAsync(deployer, AnvilProcess.DevKey(0).Address, deployer.Address,
                new SettlementConfig { ChallengeWindowBlocks = 1_000 }, Hash256.Zero, default);

            // The engine signs and checks in the deployed contract's EIP-712 domain, as the verifier does.
            var options = StepChain.Options with { SettlementContract = deployment.Settlement };
            var chain = new StepChain(options);
            var blocks = Blocks(new Random(1313), RollupDomain.Create(options.ChainId, deployment.Settlement));
            var batch = chain.Run(blocks);
            Assert.DoesNotContain(batch.Trace.Steps, s => s.Kind == AccountsStepKind.Reply);
            Assert.All(batch.Results.SelectMany(r => r.Receipts).Where((_, i) => blocks.SelectMany(b => b.Transactions).ElementAt(i).Kind == TxKind.Deposit),
                r => Assert.Equal(TxStatus.Accepted, r.Status));

            // L1 queues every deposit the batch credits, in order: the prover reads them from there.
            var depositor = new TransactionSender(l1, AnvilProcess.DevKey(3), AnvilProcess.DefaultChainId);
            var deposits = blocks.SelectMany(b => b.Transactions).Where(t => t.Kind == TxKind.Deposit).ToList();
            var total = deposits.Aggregate(BigInteger.Zero, (sum, t) => sum + t.Amount);
            await SettlementDeployer.MintAsync(depositor, deployment.Token, depositor.Address, total, default);
            (await depositor.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Token, Data = ContractArtifact.MockUsdc.EncodeCall("approve", deployment.Settlement.ToString(), total) })).EnsureSucceeded();
            foreach (var deposit in deposits)
            {
                var call = ContractArtifact.Settlement.EncodeCall("deposit", deposit.Amount, deposit.Account.ToString());
                (await depositor.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Settlement, Data = call })).EnsureSucceeded();
            }

            var verifier = await AccountsStepVerifierClient.DeployAsync(l1, deployer, options.ChainId, deployment.Settlement, options.Operators, default);
            var prover = await DisputeGameClient.DeployAccountsProverAsync(deployer, deployment.Settlement, verifier.Address, default);
            var game = await DisputeGameClient.DeployAsync(l1, deployer, deployment.Settlement, prover, Config, default);
            Assert.Equal(Config, await game.GetConfigAsync());
            Assert.Equal(prover, await game.GetProverAsync(DomainId.Accounts));
            var defender = game.As(new TransactionSender(l1, AnvilProcess.DevKey(0), AnvilProcess.DefaultChainId));
            return new Setup(anvil, l1, chain, deployment, batch, defender);
        }

        /// <summary>
        /// Four blocks of seven transactions: the first deposits for four accounts, the others mix signed withdrawals
        /// (some more than the balance, refused) with further deposits. 4 × (1 BlockStart + 7) = 32 steps.
        /// </summary>
        private static List<Block> Blocks(Random random, Eip712Domain domain)
        {
            var keys = Enumerable.Range(8101, 4).Select(ChainFlowGenerator.KeyOf).ToArray();
            var balances = new long[keys.Length];
            var nonces = new ulong[keys.Length];
            ulong nextDeposit = 0;
            var time = 1_700_000_000_000UL;
            var blocks = new List<Block>();
            Transaction Deposit(int a)
            {
                var amount = (ulong)random.NextInt64(1_000_000, 5_000_000_000);
                balances[a] += (long)amount;
                return new Transaction { Kind = TxKind.Deposit, Account = keys[a].Address, Amount = amount, DepositIndex = nextDeposit++ };
            }
            Transaction Withdraw(int a)
            {
                var amount = random.Next(5) == 0 ? (ulong)balances[a] + 1 : (ulong)random.NextInt64(1, Math.Max(2, balances[a] / 3));
                if ((long)amount <= balances[a])
                {
                    balances[a] -= (long)amount;
                }
                return TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = keys[a].Address, Amount = amount, Nonce = nonces[a]++ }, keys[a], domain);
            }
            for (ulong number = 1; number <= 4; number++)
            {
                time += 250;
                var txs = new List<Transaction>();
                for (var i = 0; i < 7; i++)
                {
                    var a = number == 1 ? i % keys.Length : random.Next(keys.Length);
                    txs.Add(number == 1 || random.Next(3) == 0 ? Deposit(a) : Withdraw(a));
                }
                blocks.Add(new Block(number, time, [.. txs]));
            }
            return blocks;
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
