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
        var token = await deployer.DeployAsync(ContractArtifact.MockUsdc.DeploymentData(), cancellation).ConfigureAwait(false);
        var settlementCode = ContractArtifact.Settlement.DeploymentData(
            token.Address.ToString(),
            sequencer.ToString(),
            operatorAddress.ToString(),
            new object[] { config.ChallengeWindowBlocks, config.ForcedInclusionBlocks, config.EscapeTimeoutBlocks },
            config.TimelockDelayBlocks,
            genesisStateRoot.ToArray());
        var settlement = await deployer.DeployAsync(settlementCode, cancellation).ConfigureAwait(false);
        return new SettlementDeployment(token.Address, settlement.Address, token.Receipt.BlockNumber);
    }

    /// <summary>Mints mock USDC (anyone may, on the devnet token).</summary>
    public static async Task MintAsync(TransactionSender sender, Address token, Address to, BigInteger amount, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var call = ContractArtifact.MockUsdc.EncodeCall("mint", to.ToString(), amount);
        (await sender.SendAndWaitAsync(new L1TransactionRequest { To = token, Data = call }, cancellation).ConfigureAwait(false)).EnsureSucceeded();
    }

    /// <summary>Approves the settlement contract for <paramref name="amount"/> and deposits it for <paramref name="l2Account"/>.</summary>
    public static async Task<L1Receipt> DepositAsync(TransactionSender sender, SettlementDeployment deployment, ulong amount, Address l2Account, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(deployment);
        var approve = ContractArtifact.MockUsdc.EncodeCall("approve", deployment.Settlement.ToString(), new BigInteger(amount));
        (await sender.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Token, Data = approve }, cancellation).ConfigureAwait(false)).EnsureSucceeded();
        var deposit = ContractArtifact.Settlement.EncodeCall("deposit", amount, l2Account.ToString());
        return (await sender.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Settlement, Data = deposit }, cancellation).ConfigureAwait(false)).EnsureSucceeded();
    }

    public static async Task<BigInteger> BalanceOfAsync(L1Client l1, Address token, Address account, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(l1);
        var balanceOf = l1.Eth.GetContract(ContractArtifact.MockUsdc.AbiJson, token.ToString()).GetFunction("balanceOf");
        return await l1.RunAsync("eth_call", _ => balanceOf.CallAsync<BigInteger>(account.ToString()), cancellation).ConfigureAwait(false);
    }
}
