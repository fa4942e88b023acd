using System.Numerics;
using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
using Rollup.Bridge.Acks;
using Rollup.Bridge.Batches;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Tests.Batches;
using Rollup.Execution.Acks;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Bridge.Tests.Acks;

/// <summary>
/// Acks held against L1 on anvil: the sequencer (dev key 0) signs an ack tree, a batch is posted that contradicts one
/// of its acks, and a third party checks the ack from the ack and L1 data alone (<see cref="AckChecker"/>) and slashes
/// the sequencer's bond with the proof the check built. Expected amounts come from the deployed config and
/// docs/acks.md's rule (slash amount, a burnt share in parts per million).
/// </summary>
public sealed class AckSlashingEndToEndTests(ITestOutputHelper output)
{
    private const ulong L2ChainId = 31337;
    private static readonly AckSlashingConfig Config = new(SlashAmount: 1_000_000_000_000_000_000, BurnPpm: 200_000, BondDelayBlocks: 50);
    private static readonly BigInteger Bond = 3 * Config.SlashAmount;
    private static readonly Address Burn = Address.Parse("0x000000000000000000000000000000000000dEaD");

    [Fact]
    public async Task AnAckContradictedByThePostedBatch_IsSlashedOnceFromL1DataAlone_AndAnHonestAckIsNot()
    {
        await using var setup = await Setup.StartAsync(challengeWindow: 1_000);
        var (batchIndex, first, blocks) = await setup.Poster.PostAsync(BatchWith(minTransactions: 3));
        var posted = blocks.SelectMany(b => b.Transactions).Select(t => TransactionHash.Of(t)).ToList();

        // The sequencer promised other transactions at first + 1 and first + 2, and the posted one at first.
        var promised = Keccak256.Compute("a transaction the sequencer promised"u8.ToArray());
        var acks = setup.SignAcks([(first, posted[0]), (first + 1, promised), (first + 2, Keccak256.Compute("another promise"u8.ToArray()))]);
        var (honest, broken) = (acks[0], acks[1]);

        var kept = await setup.Checker.CheckAsync(honest);
        Assert.Equal(AckVerdictKind.Kept, kept.Kind);
        Assert.Equal(0, kept.ExitCode);

        var verdict = await setup.Checker.CheckAsync(broken);
        Assert.Equal(AckVerdictKind.Equivocation, verdict.Kind);
        Assert.Equal(1, verdict.ExitCode);
        Assert.True(verdict.Slashable);
        Assert.Equal(batchIndex, verdict.Evidence!.BatchIndex);
        Assert.Equal(posted[1], verdict.Evidence.PostedTxHash);

        var holder = setup.Slashing.As(setup.Sender(4));
        var recipient = setup.Sender(5).Address;
        var dead = await setup.BalanceAsync(Burn);
        var slash = await holder.SlashAsync(broken, verdict, recipient);
        var burnt = Config.SlashAmount * Config.BurnPpm / 1_000_000;
        Assert.Equal(Bond - Config.SlashAmount, await setup.Slashing.GetBondAsync());
        Assert.Equal(Config.SlashAmount - burnt, await setup.Slashing.GetCreditAsync(recipient));
        Assert.Equal(dead + burnt, await setup.BalanceAsync(Burn));
        Assert.True(await setup.Slashing.IsSlashedAsync(broken));
        output.WriteLine($"slashEquivocation: {slash.GasUsed} gas (ack proof {broken.Proof.Length / 32} siblings, batch proof {verdict.Evidence.Siblings.Count})");

        // Once only, whoever asks.
        var again = await Assert.ThrowsAsync<AckSlashingRevertedException>(() => setup.Slashing.As(setup.Sender(6)).SlashAsync(broken, verdict));
        Assert.Equal("AlreadySlashed", again.Error);

        // The honest ack: the posted hash is its own, and a made-up one does not fold to the batch's root.
        var proof = BatchTransactionRoot.Prove(first, blocks, first).Siblings;
        Assert.Equal("SameTransaction", (await Assert.ThrowsAsync<AckSlashingRevertedException>(() => holder.SlashEquivocationAsync(honest, batchIndex, posted[0], proof))).Error);
        Assert.Equal("NotInBatch", (await Assert.ThrowsAsync<AckSlashingRevertedException>(() => holder.SlashEquivocationAsync(honest, batchIndex, promised, proof))).Error);
        Assert.Equal(Bond - Config.SlashAmount, await setup.Slashing.GetBondAsync());

        // A forged ack (another key's signature) is refused by the check and by L1.
        var forged = setup.SignAcks([(first + 1, Keccak256.Compute("forged"u8.ToArray()))], AnvilProcess.DevKey(7))[0];
        Assert.Equal(AckVerdictKind.InvalidAck, (await setup.Checker.CheckAsync(forged)).Kind);
        Assert.Equal("NotSignedBySequencer", (await Assert.ThrowsAsync<AckSlashingRevertedException>(() => holder.SlashEquivocationAsync(forged, batchIndex, posted[1], verdict.Evidence.Siblings))).Error);

        // An ack past the committed ranges is not decided yet.
        var ahead = setup.SignAcks([(first + (ulong)posted.Count, promised)])[0];
        Assert.Equal(AckVerdictKind.NotYetPosted, (await setup.Checker.CheckAsync(ahead)).Kind);

        var before = await setup.BalanceAsync(recipient);
        var withdrawal = await setup.Slashing.As(setup.Sender(5)).WithdrawAsync();
        Assert.Equal(before + Config.SlashAmount - burnt - (withdrawal.GasUsed * withdrawal.EffectiveGasPrice), await setup.BalanceAsync(recipient));
    }

    [Fact]
    public async Task ASequenceInAFinalBatchsRangeButNotInItsTransactions_IsSlashedAsAnOmission()
    {
        const ulong window = 5;
        await using var setup = await Setup.StartAsync(challengeWindow: window);
        var (batchIndex, first, blocks) = await setup.Poster.PostAsync(BatchWith(minTransactions: 1), extraSequences: 1);
        var missing = first + BatchTransactionRoot.CountTransactions(blocks);
        var ack = setup.SignAcks([(missing, Keccak256.Compute("admitted, never posted"u8.ToArray()))])[0];

        var early = await setup.Checker.CheckAsync(ack);
        Assert.Equal(AckVerdictKind.Omission, early.Kind);
        Assert.False(early.Slashable);
        Assert.Equal("BatchNotFinal", (await Assert.ThrowsAsync<AckSlashingRevertedException>(() => setup.Slashing.SlashAsync(ack, early))).Error);

        await setup.Dev.MineAsync(window);
        var verdict = await setup.Checker.CheckAsync(ack);
        Assert.Equal(AckVerdictKind.Omission, verdict.Kind);
        Assert.True(verdict.Slashable);
        var slash = await setup.Slashing.SlashAsync(ack, verdict);
        Assert.Equal(Bond - Config.SlashAmount, await setup.Slashing.GetBondAsync());
        Assert.Equal(Config.SlashAmount - (Config.SlashAmount * Config.BurnPpm / 1_000_000), await setup.Slashing.GetCreditAsync(setup.Sender(1).Address));
        Assert.Equal("AlreadySlashed", (await Assert.ThrowsAsync<AckSlashingRevertedException>(() => setup.Slashing.SlashAsync(ack, verdict))).Error);
        output.WriteLine($"slashOmission: {slash.GasUsed} gas (batch proof {verdict.Evidence!.Siblings.Count} siblings, batch {batchIndex})");
    }

    [Fact]
    public async Task ABatchWhoseRootIsNotItsDatasTree_IsReportedAsUndecidable_NotAsAVerdict()
    {
        await using var setup = await Setup.StartAsync(challengeWindow: 1_000);
        var (_, first, blocks) = await setup.Poster.PostAsync(BatchWith(minTransactions: 2), txRoot: Keccak256.Compute("not the data's tree"u8.ToArray()));
        var ack = setup.SignAcks([(first, TransactionHash.Of(blocks.SelectMany(b => b.Transactions).First()))])[0];
        var verdict = await setup.Checker.CheckAsync(ack);
        Assert.Equal(AckVerdictKind.DataDisagrees, verdict.Kind);
        Assert.Equal(3, verdict.ExitCode);
        Assert.Null(verdict.Evidence);
    }

    /// <summary>A random batch of every transaction kind with at least <paramref name="minTransactions"/> transactions.</summary>
    private static L2Batch BatchWith(int minTransactions)
    {
        for (var seed = 1; ; seed++)
        {
            var batch = RandomBatches.Create(seed, maxBlocks: 3, maxTransactions: 6);
            if (batch.Blocks.Sum(b => b.Transactions.Length) >= minTransactions)
            {
                return batch;
            }
        }
    }

    private sealed class Setup : IAsyncDisposable
    {
        private readonly AnvilProcess _anvil;
        private readonly Eip712Domain _domain;

        private Setup(AnvilProcess anvil, L1Client l1, Address settlement, AckSlashingClient slashing)
        {
            _anvil = anvil;
            L1 = l1;
            Dev = new AnvilRpc(l1);
            Slashing = slashing;
            _domain = RollupDomain.Create(L2ChainId, settlement);
            Poster = DishonestPoster.Create(l1, settlement, Sender(0));
            Checker = new AckChecker(new SettlementClient(l1, settlement), _domain);
        }

        public L1Client L1 { get; }

        public AnvilRpc Dev { get; }

        /// <summary>Deployed by dev account 1, which is also the client that sends with no other sender.</summary>
        public AckSlashingClient Slashing { get; }

        public DishonestPoster Poster { get; }

        public AckChecker Checker { get; }

        public TransactionSender Sender(int dev) => new(L1, AnvilProcess.DevKey(dev), AnvilProcess.DefaultChainId);

        public Task<BigInteger> BalanceAsync(Address account) =>
            L1.RunAsync("eth_getBalance", async eth => (await eth.GetBalance.SendRequestAsync(account.ToString(), BlockParameter.CreateLatest())).Value);

        /// <summary>One ack tree over the promises, signed as the sequencer's AckSigner signs (dev key 0 unless another is given).</summary>
        public List<SignedAck> SignAcks(IReadOnlyList<(ulong Sequence, Hash256 TxHash)> promises, PrivateKey? key = null)
        {
            var signer = key ?? AnvilProcess.DevKey(0);
            var leaves = promises.Select(p => AckTree.Leaf(p.Sequence, p.TxHash)).ToArray();
            var tree = AckTree.Build(leaves, root => AckSigning.Sign(root, _domain, signer));
            return promises.Select((p, i) => new SignedAck(p.Sequence, p.TxHash, tree.Root, tree.Proof(i), tree.Signature.Bytes.ToArray())).ToList();
        }

        public static async Task<Setup> StartAsync(ulong challengeWindow)
        {
            var anvil = await AnvilProcess.StartAsync();
            var l1 = new L1Client(anvil.Endpoint);
            var deployer = new TransactionSender(l1, AnvilProcess.DevKey(1), AnvilProcess.DefaultChainId);
            var deployment = await SettlementDeployer.DeployAsync(deployer, AnvilProcess.DevKey(0).Address, deployer.Address,
                new SettlementConfig { ChallengeWindowBlocks = challengeWindow }, Hash256.Zero, default);
            var slashing = await AckSlashingClient.DeployAsync(l1, deployer, deployment.Settlement, L2ChainId, Config, default);
            await slashing.As(new TransactionSender(l1, AnvilProcess.DevKey(0), AnvilProcess.DefaultChainId)).DepositBondAsync(Bond);
            Assert.Equal(Bond, await slashing.GetBondAsync());
            return new Setup(anvil, l1, deployment.Settlement, slashing);
        }

        public ValueTask DisposeAsync()
        {
            _anvil.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
