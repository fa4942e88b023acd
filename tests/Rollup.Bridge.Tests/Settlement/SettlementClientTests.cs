using System.Numerics;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Settlement;

/// <summary>The settlement contract's reads through Nethereum on a real anvil: typed events, struct returns, and what an empty address answers.</summary>
public class SettlementClientTests
{
    [Fact]
    public async Task A_deposit_reads_back_from_its_event_and_from_the_queue_with_the_values_sent()
    {
        using var anvil = await AnvilProcess.StartAsync();
        using var l1 = new L1Client(anvil.Endpoint);
        var deployment = await SettlementDeployer.DeployAsync(new TransactionSender(l1, AnvilProcess.DevKey(1), anvil.ChainId), AnvilProcess.DevKey(0).Address, AnvilProcess.DevKey(1).Address, new SettlementConfig(), Hash256.Zero, default);
        var depositor = new TransactionSender(l1, AnvilProcess.DevKey(2), anvil.ChainId);
        var l2Account = AnvilProcess.DevKey(7).Address;
        await SettlementDeployer.MintAsync(depositor, deployment.Token, depositor.Address, 1_000_000, default);
        var receipt = await SettlementDeployer.DepositAsync(depositor, deployment, 250_000, l2Account, default);
        var settlement = new SettlementClient(l1, deployment.Settlement) { FromBlock = deployment.DeploymentBlock };

        var deposit = Assert.Single(await settlement.GetDepositsAsync(receipt.BlockHash, default));
        Assert.Equal((0UL, l2Account, depositor.Address, 250_000UL), (deposit.Index, deposit.L2Account, deposit.From, deposit.Amount));
        Assert.Equal((receipt.BlockNumber, receipt.BlockHash), (deposit.L1Block, deposit.L1BlockHash));
        Assert.Equal(1UL, await settlement.GetDepositCountAsync(default));
        Assert.Equal((l2Account, 250_000UL), await settlement.GetQueuedDepositAsync(0, default));
        Assert.Equal(receipt.BlockNumber, await settlement.GetDepositBlockAsync(0, default));
        Assert.Null(await settlement.GetQueuedDepositAsync(1, default));
        // The block before holds no deposit event of this contract.
        var before = await settlement.GetBlockAsync(receipt.BlockNumber - 1, default);
        Assert.Empty(await settlement.GetDepositsAsync(before!.Value.Hash, default));
        Assert.Equal(new BigInteger(750_000), await SettlementDeployer.BalanceOfAsync(l1, deployment.Token, depositor.Address, default));
    }

    [Fact]
    public async Task An_address_without_the_contract_is_refused_not_read_as_a_fresh_contract()
    {
        using var anvil = await AnvilProcess.StartAsync();
        using var l1 = new L1Client(anvil.Endpoint);
        var nowhere = new SettlementClient(l1, PrivateKey.Generate().Address);
        var error = await Assert.ThrowsAsync<L1ContractMissingException>(() => nowhere.GetStatusAsync(default));
        Assert.Contains("nextBatchIndex() at " + nowhere.Contract, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<L1ContractMissingException>(() => nowhere.GetDepositCountAsync(default));
    }
}
