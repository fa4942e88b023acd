using System.Numerics;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>The windows the settlement contract is deployed with (all in L1 blocks; docs/contract.md).</summary>
public sealed record SettlementConfig
{
    public ulong ChallengeWindowBlocks { get; init; } = 10;

    public ulong ForcedInclusionBlocks { get; init; } = 100;

    public ulong EscapeTimeoutBlocks { get; init; } = 1_000;

    public ulong TimelockDelayBlocks { get; init; } = 20;
}

/// <summary>Where a deployment put the contracts, and from which L1 block their events are worth reading.</summary>
public sealed record SettlementDeployment(Address Token, Address Settlement, ulong DeploymentBlock);

/// <summary>Deploys the mock collateral token and the settlement contract, and moves tokens for dev accounts.</summary>
public static class SettlementDeployer
{
    public static async Task<SettlementDeployment> DeployAsync(
        TransactionSender deployer,
        Address sequencer,
        Address operatorAddress,
        SettlementConfig config,
        Hash256 genesisStateRoot,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(config);
        var token = await deployer.DeployAsync(ContractArtifact.MockUsdc.Bytecode, default, cancellation).ConfigureAwait(false);
        var arguments = ContractArtifact.Settlement.EncodeConstructor(
            token.Address,
            sequencer,
            operatorAddress,
            new object?[] { config.ChallengeWindowBlocks, config.ForcedInclusionBlocks, config.EscapeTimeoutBlocks },
            config.TimelockDelayBlocks,
            genesisStateRoot);
        var settlement = await deployer.DeployAsync(ContractArtifact.Settlement.Bytecode, arguments, cancellation).ConfigureAwait(false);
        return new SettlementDeployment(token.Address, settlement.Address, token.Receipt.BlockNumber);
    }

    /// <summary>Mints mock USDC (anyone may, on the devnet token).</summary>
    public static async Task MintAsync(TransactionSender sender, Address token, Address to, BigInteger amount, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var call = ContractArtifact.MockUsdc.Function("mint").EncodeCall(to, amount);
        (await sender.SendAndWaitAsync(new L1TransactionRequest { To = token, Data = call }, cancellation).ConfigureAwait(false)).EnsureSucceeded();
    }

    /// <summary>Approves the settlement contract for <paramref name="amount"/> and deposits it for <paramref name="l2Account"/>.</summary>
    public static async Task<L1Receipt> DepositAsync(TransactionSender sender, SettlementDeployment deployment, ulong amount, Address l2Account, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(deployment);
        var approve = ContractArtifact.MockUsdc.Function("approve").EncodeCall(deployment.Settlement, amount);
        (await sender.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Token, Data = approve }, cancellation).ConfigureAwait(false)).EnsureSucceeded();
        var deposit = ContractArtifact.Settlement.Function("deposit").EncodeCall(amount, l2Account);
        return (await sender.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Settlement, Data = deposit }, cancellation).ConfigureAwait(false)).EnsureSucceeded();
    }

    public static async Task<BigInteger> BalanceOfAsync(L1RpcClient rpc, Address token, Address account, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var balanceOf = ContractArtifact.MockUsdc.Function("balanceOf");
        var result = await rpc.CallAsync(new L1CallRequest { To = token, Data = balanceOf.EncodeCall(account) }, BlockTag.Latest, cancellation).ConfigureAwait(false);
        return (BigInteger)balanceOf.DecodeOutput(result)[0]!;
    }
}
