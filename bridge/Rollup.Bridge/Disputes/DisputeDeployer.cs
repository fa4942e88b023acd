using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>The dispute game of one settlement contract, as deployed: the game and the contracts it judges with.</summary>
public sealed record DisputeDeployment(
    Address Game, Address AccountsVerifier, Address AccountsProver, Address MarketVerifier, Address MarketProver, ulong DeploymentBlock);

/// <summary>
/// Deploys the whole dispute stack beside a settlement contract (docs/disputes.md): the accounts domain's step verifier
/// (bound to the chain's EIP-712 domain and operators, as the engine runs) and its one-step prover, the market step
/// verifier and its prover, and the game over both.
/// </summary>
public static class DisputeDeployer
{
    public static async Task<(DisputeGameClient Game, DisputeDeployment Deployment)> DeployAsync(
        L1Client l1, TransactionSender deployer, ulong l2ChainId, Address settlement, IReadOnlyList<Address> operators, DisputeGameConfig config, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(l1);
        ArgumentNullException.ThrowIfNull(deployer);
        var from = await l1.GetBlockNumberAsync(cancellation).ConfigureAwait(false);
        var accountsVerifier = await AccountsStepVerifierClient.DeployAsync(l1, deployer, l2ChainId, settlement, operators, cancellation).ConfigureAwait(false);
        var accountsProver = await DisputeGameClient.DeployAccountsProverAsync(deployer, settlement, accountsVerifier.Address, cancellation).ConfigureAwait(false);
        var marketVerifier = await MarketStepVerifierClient.DeployAsync(l1, deployer, cancellation).ConfigureAwait(false);
        var marketProver = await DisputeGameClient.DeployMarketProverAsync(deployer, settlement, marketVerifier.Address, cancellation).ConfigureAwait(false);
        var game = await DisputeGameClient.DeployAsync(l1, deployer, settlement, accountsProver, marketProver, config, cancellation).ConfigureAwait(false);
        return (game, new DisputeDeployment(game.Address, accountsVerifier.Address, accountsProver, marketVerifier.Address, marketProver, from));
    }

    /// <summary>
    /// Makes <paramref name="game"/> the settlement contract's dispute game through its time lock: proposed by the
    /// operator, <paramref name="passTimeLock"/> lets the delay pass (a devnet mines the blocks), then executed. From
    /// then on claims are final per domain (docs/disputes.md, "Finality").
    /// </summary>
    public static async Task WireAsync(SettlementClient asOperator, Address game, Func<CancellationToken, Task> passTimeLock, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(asOperator);
        ArgumentNullException.ThrowIfNull(passTimeLock);
        await asOperator.ProposeDisputeGameAsync(game, cancellation).ConfigureAwait(false);
        await passTimeLock(cancellation).ConfigureAwait(false);
        await asOperator.ExecuteDisputeGameAsync(cancellation).ConfigureAwait(false);
    }
}
