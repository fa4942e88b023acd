using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.L1;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Bridge.Settlement;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Settlement;

/// <summary>The poster's L1 sender on a real anvil: stuck transactions, refusals, artifacts bound by name.</summary>
public class ContractTransactorTests
{
    [Fact]
    public async Task A_transaction_not_mined_in_time_is_replaced_with_higher_fees_and_lands_once()
    {
        using var anvil = await AnvilProcess.StartAsync();
        using var rpc = new L1Client(anvil.Endpoint);
        var sequencerKey = AnvilProcess.DevKey(0);
        var deployment = await DeployAsync(anvil, rpc);
        var transactor = new ContractTransactor(rpc, new TransactionSender(rpc, sequencerKey, anvil.ChainId), ContractArtifact.Settlement, NullLogger.Instance)
        {
            StuckAfter = TimeSpan.FromMilliseconds(300),
        };
        var settlement = new SettlementClient(rpc, deployment.Settlement, transactor);
        var nonceBefore = await rpc.GetTransactionCountAsync(sequencerKey.Address, BlockParameter.CreateLatest());

        var dev = new AnvilRpc(rpc);
        await dev.SetAutomineAsync(false);
        var posting = settlement.PostPartAsync(0, 0, new byte[] { 1, 2, 3 }, default);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (transactor.FeeBumps < 2)
        {
            Assert.False(posting.IsCompleted, posting.Exception?.ToString());
            Assert.True(DateTime.UtcNow < deadline, "the transactor did not bump the fees twice within 30 s");
            await Task.Delay(50); // waiting for the transactor's own timer to fire twice
        }
        await dev.MineAsync(1);
        await posting;

        var status = await settlement.GetStatusAsync(default);
        Assert.Equal(1u, status.PendingParts);
        Assert.Equal(nonceBefore + 1, await rpc.GetTransactionCountAsync(sequencerKey.Address, BlockParameter.CreateLatest()));
    }

    /// <summary>
    /// A reorg drops a mined transaction of ours while the next one waits: the waiting one can never be mined (a nonce
    /// gap). The transactor says so once L1 has mined a couple of blocks without the gap filling, not after its whole
    /// stuck-transaction wait (ten minutes here, so the old behaviour would fail this test on its deadline).
    /// </summary>
    [Fact]
    public async Task A_transaction_behind_a_nonce_gap_a_reorg_left_is_given_up_within_blocks_not_after_the_stuck_wait()
    {
        using var anvil = await AnvilProcess.StartAsync();
        using var rpc = new L1Client(anvil.Endpoint);
        var sequencerKey = AnvilProcess.DevKey(0);
        var deployment = await DeployAsync(anvil, rpc);
        var transactor = new ContractTransactor(rpc, new TransactionSender(rpc, sequencerKey, anvil.ChainId), ContractArtifact.Settlement, NullLogger.Instance)
        {
            StuckAfter = TimeSpan.FromMinutes(10),
        };
        var settlement = new SettlementClient(rpc, deployment.Settlement, transactor);
        await settlement.PostPartAsync(0, 0, new byte[] { 1, 2, 3 }, default);
        var mined = await rpc.GetTransactionCountAsync(sequencerKey.Address, BlockParameter.CreateLatest());

        var dev = new AnvilRpc(rpc);
        await dev.SetAutomineAsync(false);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var posting = settlement.PostPartAsync(0, 1, new byte[] { 4, 5, 6 }, deadline.Token);
        while (await rpc.GetTransactionCountAsync(sequencerKey.Address, BlockParameter.CreatePending()) == mined)
        {
            Assert.False(posting.IsCompleted, posting.Exception?.ToString());
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(20); // until the second part is in anvil's pool
        }
        await dev.ReorgAsync(1); // the block holding part 0 is replaced by an empty one: nonce `mined - 1` is free again
        Assert.Equal(mined - 1, await rpc.GetTransactionCountAsync(sequencerKey.Address, BlockParameter.CreateLatest()));
        while (!posting.IsCompleted)
        {
            deadline.Token.ThrowIfCancellationRequested();
            await dev.MineAsync(1);
            await Task.Delay(100); // L1 goes on mining; nothing fills the gap
        }
        var gap = await Assert.ThrowsAsync<L1NonceGapException>(() => posting);
        Assert.Contains($"at nonce {mined}", gap.Message, StringComparison.Ordinal);
        Assert.Contains($"L1 now counts {mined - 1} transactions", gap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_parts_of_a_batch_go_out_together_and_land_in_one_L1_block_not_one_each()
    {
        using var anvil = await AnvilProcess.StartAsync();
        using var rpc = new L1Client(anvil.Endpoint);
        var sequencerKey = AnvilProcess.DevKey(0);
        var deployment = await DeployAsync(anvil, rpc);
        var transactor = new ContractTransactor(rpc, new TransactionSender(rpc, sequencerKey, anvil.ChainId), ContractArtifact.Settlement, NullLogger.Instance);
        var calls = new List<byte[]>();
        for (var part = 0u; part < 6; part++)
        {
            calls.Add(ContractArtifact.Settlement.EncodeCall("postBatchData", 0UL, part, new byte[4096 - (part == 5 ? 1000 : 0)]));
        }
        // Nothing is mined until all six wait in the pool: a transactor that waited for each receipt before sending the
        // next would never get there. (Timed mining made this depend on how fast a loaded machine signs.)
        var dev = new AnvilRpc(rpc);
        await dev.SetAutomineAsync(false);
        var nonceBefore = await rpc.GetTransactionCountAsync(sequencerKey.Address, BlockParameter.CreateLatest());
        var sending = transactor.SendInOrderAsync(deployment.Settlement, calls, default);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await rpc.GetTransactionCountAsync(sequencerKey.Address, BlockParameter.CreatePending()) < nonceBefore + 6)
        {
            Assert.False(sending.IsCompleted, sending.Exception?.ToString());
            Assert.True(DateTime.UtcNow < deadline, "the six parts were not all sent within 30 s without a block between them");
            await Task.Delay(50); // polling anvil's pool: the parts are sent by the transactor's own task
        }
        await dev.MineAsync(1);
        var receipts = await sending;
        Assert.Equal(6, receipts.Count);
        Assert.Single(receipts.Select(r => r.BlockNumber).Distinct());
        var status = await new SettlementClient(rpc, deployment.Settlement).GetStatusAsync(default);
        Assert.Equal(6u, status.PendingParts);
    }

    [Fact]
    public async Task A_call_the_contract_refuses_is_an_L1RevertedException_naming_the_contract_error()
    {
        using var anvil = await AnvilProcess.StartAsync();
        using var rpc = new L1Client(anvil.Endpoint);
        var deployment = await DeployAsync(anvil, rpc);
        var stranger = new SettlementClient(rpc, deployment.Settlement, new ContractTransactor(rpc, new TransactionSender(rpc, AnvilProcess.DevKey(5), anvil.ChainId), ContractArtifact.Settlement, NullLogger.Instance));
        var error = await Assert.ThrowsAsync<L1RevertedException>(() => stranger.PostPartAsync(0, 0, new byte[] { 1 }, default));
        Assert.Contains("NotSequencer", error.Message, StringComparison.Ordinal);
        var wrongPart = new SettlementClient(rpc, deployment.Settlement, new ContractTransactor(rpc, new TransactionSender(rpc, AnvilProcess.DevKey(0), anvil.ChainId), ContractArtifact.Settlement, NullLogger.Instance));
        Assert.Contains("WrongPart", (await Assert.ThrowsAsync<L1RevertedException>(() => wrongPart.PostPartAsync(0, 3, new byte[] { 1 }, default))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_function_event_and_error_the_bridge_uses_is_in_the_compiled_contract()
    {
        foreach (var name in new[] { "deposit", "postBatchData", "discardBatchData", "commitBatch", "claimWithdrawal", "freeze", "escapeHatch", "nextBatchIndex", "nextL2Block", "lastStateRoot", "pendingBatchData", "frozen", "depositCount", "queuedDeposit", "isFinalized", "batch", "claimed", "withdrawalKey", "escapeStateRoot", "sequencer", "nextSequence", "transactionIncluded", "blockIncluded", "claimIncluded", "disputeGame", "proposeDisputeGame", "executeDisputeGame", "claimStatus", "repostClaims" })
        {
            Assert.NotNull(ContractArtifact.Settlement.Function(name));
        }
        Assert.NotNull(ContractArtifact.EscapeHatch.Function("escape"));
        Assert.Equal("commitBatch((uint64,uint64,uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,bytes32,bytes32,bytes32),(uint8,uint32,bytes32,bytes32,uint64)[])", ContractArtifact.Settlement.Function("commitBatch").Signature);
        foreach (var name in new[] { "DepositQueued", "BatchDataPosted", "BatchCommitted", "ClaimsReposted" })
        {
            Assert.NotNull(ContractArtifact.Settlement.Event(name));
        }
        Assert.Contains(ContractArtifact.Settlement.Errors, e => e.Name == "OverdueDeposit");
        Assert.Throws<KeyNotFoundException>(() => ContractArtifact.Settlement.Function("noSuchFunction"));
    }

    [Fact]
    public void The_typed_events_and_calls_have_the_compiled_contracts_signatures()
    {
        // The DTOs spell their types in attributes; the artifact is what solc compiled. Both must name the same ABI.
        Assert.Equal(ContractArtifact.Settlement.Event("DepositQueued").Sha3Signature, ABITypedRegistry.GetEvent<DepositQueuedEvent>().Sha3Signature);
        Assert.Equal(ContractArtifact.Settlement.Event("BatchDataPosted").Sha3Signature, ABITypedRegistry.GetEvent<BatchDataPostedEvent>().Sha3Signature);
        Assert.Equal(ContractArtifact.Settlement.Event("BatchCommitted").Sha3Signature, ABITypedRegistry.GetEvent<BatchCommittedEvent>().Sha3Signature);
        Assert.Equal(ContractArtifact.Settlement.Function("postBatchData").Sha3Signature, ABITypedRegistry.GetFunctionABI<PostBatchDataFunction>().Sha3Signature);
        Assert.Equal(ContractArtifact.Settlement.Function("commitBatch").Sha3Signature, ABITypedRegistry.GetFunctionABI<CommitBatchFunction>().Sha3Signature);
        Assert.Equal(ContractArtifact.Settlement.Function("repostClaims").Sha3Signature, ABITypedRegistry.GetFunctionABI<RepostClaimsFunction>().Sha3Signature);
        Assert.Equal(Rollup.Bridge.Disputes.DisputeGameClient.Artifact.Event("GameStarted").Sha3Signature, ABITypedRegistry.GetEvent<Rollup.Bridge.Disputes.GameStartedEvent>().Sha3Signature);
        Assert.Equal(Rollup.Bridge.Disputes.DisputeGameClient.Artifact.Event("ClaimFell").Sha3Signature, ABITypedRegistry.GetEvent<Rollup.Bridge.Disputes.ClaimFellEvent>().Sha3Signature);
    }

    /// <summary>A settlement whose sequencer is anvil's key 0, deployed by key 1 (its operator).</summary>
    private static Task<SettlementDeployment> DeployAsync(AnvilProcess anvil, L1Client rpc) =>
        SettlementDeployer.DeployAsync(new TransactionSender(rpc, AnvilProcess.DevKey(1), anvil.ChainId), AnvilProcess.DevKey(0).Address, AnvilProcess.DevKey(1).Address, new SettlementConfig(), Hash256.Zero, default);
}
