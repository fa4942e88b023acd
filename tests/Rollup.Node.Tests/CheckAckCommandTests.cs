using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Acks;
using Rollup.Bridge.Batches;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Acks;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Node.Cli;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Compression;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Node.Tests;

/// <summary>
/// <c>rollup check-ack</c> on anvil: one batch of two withdrawals posted by the sequencer (dev key 0), acks signed by
/// it in the settlement's domain, and the command's exit code for each verdict; with --slash it takes the bond.
/// </summary>
public sealed class CheckAckCommandTests
{
    private const ulong L2ChainId = 31337;

    [Fact]
    public async Task CheckAck_ExitCodeSaysTheVerdict_AndSlashTakesTheBondForAViolation()
    {
        using var anvil = await AnvilProcess.StartAsync();
        using var l1 = new L1Client(anvil.Endpoint);
        var deployer = new TransactionSender(l1, AnvilProcess.DevKey(1), AnvilProcess.DefaultChainId);
        var sequencerKey = AnvilProcess.DevKey(0);
        var deployment = await SettlementDeployer.DeployAsync(deployer, sequencerKey.Address, deployer.Address, new SettlementConfig { ChallengeWindowBlocks = 100 }, Hash256.Zero, default);
        var config = new AckSlashingConfig(SlashAmount: 1_000_000_000_000_000, BurnPpm: 0, BondDelayBlocks: 10);
        var slashing = await AckSlashingClient.DeployAsync(l1, deployer, deployment.Settlement, L2ChainId, config, default);
        await slashing.As(new TransactionSender(l1, sequencerKey, AnvilProcess.DefaultChainId)).DepositBondAsync(config.SlashAmount);

        var withdrawals = new[] { Withdrawal(1), Withdrawal(2) };
        await PostAsync(l1, deployment.Settlement, sequencerKey, [new Block(1, 1_700_000_000_000, withdrawals)]);
        var domain = RollupDomain.Create(L2ChainId, deployment.Settlement);

        string[] Args(SignedAck ack, params string[] more) =>
        [
            "check-ack", "--l1-rpc", anvil.Endpoint.ToString(), "--contract", deployment.Settlement.ToString(), "--l2-chain-id", L2ChainId.ToString(),
            "--sequence", ack.Sequence.ToString(), "--tx-hash", ack.TxHash.ToString(), "--root", ack.Root.ToString(),
            "--proof", Hex.ToHex(ack.Proof), "--signature", Hex.ToHex(ack.Signature), .. more,
        ];
        Task<int> RunAsync(string[] args) => RollupCli.Create().Parse(args).InvokeAsync();

        var honest = Ack(0, TransactionHash.Of(withdrawals[0]), domain, sequencerKey);
        Assert.Equal(0, await RunAsync(Args(honest)));
        var broken = Ack(1, Keccak256.Compute("promised"u8.ToArray()), domain, sequencerKey);
        Assert.Equal(1, await RunAsync(Args(broken)));
        Assert.Equal(3, await RunAsync(Args(Ack(2, broken.TxHash, domain, sequencerKey))));
        Assert.Equal(5, await RunAsync(Args(Ack(1, broken.TxHash, domain, AnvilProcess.DevKey(7)))));
        Assert.Equal(RollupCli.UsageExitCode, await RunAsync(Args(honest with { Proof = [] }, "--slash", "not an address")));

        var holder = AnvilProcess.DevKey(4);
        Assert.Equal(0, await RunAsync(Args(honest, "--slash", slashing.Address.ToString(), "--key", holder.ToHexUnsafe())));
        Assert.Equal(config.SlashAmount, await slashing.GetBondAsync());
        Assert.Equal(1, await RunAsync(Args(broken, "--slash", slashing.Address.ToString(), "--key", holder.ToHexUnsafe())));
        Assert.Equal(BigInteger.Zero, await slashing.GetBondAsync());
        Assert.Equal(config.SlashAmount, await slashing.GetCreditAsync(holder.Address));
        Assert.True(await slashing.IsSlashedAsync(broken));
        // The second slash of the same ack is L1's refusal (exit 4).
        Assert.Equal(4, await RunAsync(Args(broken, "--slash", slashing.Address.ToString(), "--key", AnvilProcess.DevKey(5).ToHexUnsafe())));
    }

    private static Transaction Withdrawal(ulong nonce) => new()
    {
        Kind = TxKind.Withdraw,
        Account = AnvilProcess.DevKey(3).Address,
        Amount = 1_000 * nonce,
        Nonce = nonce,
        Signature = new Signature(Enumerable.Range(1, Signature.Length).Select(i => (byte)(i == Signature.Length ? 0 : i)).ToArray()),
    };

    private static SignedAck Ack(ulong sequence, Hash256 txHash, Primitives.Eip712.Eip712Domain domain, PrivateKey key)
    {
        var tree = AckTree.Build([AckTree.Leaf(sequence, txHash)], root => AckSigning.Sign(root, domain, key));
        return new SignedAck(sequence, txHash, tree.Root, tree.Proof(0), tree.Signature.Bytes.ToArray());
    }

    private static async Task PostAsync(L1Client l1, Address contract, PrivateKey sequencer, IReadOnlyList<Block> blocks)
    {
        var settlement = new SettlementClient(l1, contract, new ContractTransactor(l1, new TransactionSender(l1, sequencer, AnvilProcess.DefaultChainId), ContractArtifact.Settlement, NullLogger.Instance));
        var frame = BatchFrame.Encode(new L2Batch(blocks), CompressionCodecId.None);
        var parts = BatchParts.Split(frame);
        await settlement.PostPartsAsync(0, 0, parts, default);
        (DomainId, DomainClaim)[] claims = [(DomainId.Accounts, new DomainClaim(Keccak256.Compute("claim start"u8.ToArray()), Keccak256.Compute("claim end"u8.ToArray()), 1))];
        await settlement.CommitAsync(new BatchCommitment(
            0, 1, blocks[^1].Number, BatchParts.DataHash(parts), Hash256.Zero, Keccak256.Compute("state"u8.ToArray()), Hash256.Zero, Hash256.Zero, 0, 0,
            BatchTransactionRoot.CountTransactions(blocks), BatchTransactionRoot.Compute(0, blocks), Keccak256.Compute("blocks"u8.ToArray()), BatchClaimsRoot.Compute(claims)), claims, default);
    }
}
