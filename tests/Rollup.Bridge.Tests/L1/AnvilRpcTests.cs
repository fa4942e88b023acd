using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

/// <summary>The client and sender (over Nethereum) against a real anvil: value transfers, blocks, fees, errors, mining modes, reorgs.</summary>
public class AnvilRpcTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private L1Client Client => fixture.Client;

    private static BlockParameter Latest => BlockParameter.CreateLatest();

    private Task<BigInteger> BalanceAsync(Address account, BlockParameter block) =>
        Client.RunAsync("eth_getBalance", async eth => (await eth.GetBalance.SendRequestAsync(account.ToString(), block)).Value);

    [Fact]
    public async Task ChainAndAccounts_MatchTheDevnet()
    {
        Assert.Equal(AnvilProcess.DefaultChainId, await Client.GetChainIdAsync());
        var accounts = await Client.RunAsync("eth_accounts", eth => eth.Accounts.SendRequestAsync());
        Assert.Equal(AnvilProcess.DevKeys.Select(k => PrivateKey.Parse(k).Address), accounts.Select(Address.Parse));
    }

    [Fact]
    public async Task SendValue_SignedByUs_IsMinedAndMovesTheBalances()
    {
        var sender = fixture.Sender(1);
        var recipient = PrivateKey.Generate().Address;
        var value = new BigInteger(123_456_789);

        var signed = await sender.SendAsync(new L1TransactionRequest { To = recipient, Value = value });
        var receipt = await sender.WaitForReceiptAsync(signed.Hash);

        Assert.True(receipt.Succeeded);
        Assert.Equal(signed.Hash, receipt.TransactionHash);
        Assert.Equal(sender.Address, receipt.From);
        Assert.Equal(recipient, receipt.To);
        Assert.Null(receipt.ContractAddress);
        Assert.Equal(21_000UL, receipt.GasUsed);
        Assert.Equal(value, await BalanceAsync(recipient, Latest));
        var before = await BalanceAsync(sender.Address, new BlockParameter(receipt.BlockNumber - 1));
        var after = await BalanceAsync(sender.Address, new BlockParameter(receipt.BlockNumber));
        Assert.Equal(before - value - (receipt.GasUsed * receipt.EffectiveGasPrice), after);

        // The node reports the transaction as we built it.
        var seen = await Client.GetTransactionAsync(signed.Hash);
        Assert.NotNull(seen);
        Assert.Equal((sender.Address, recipient, signed.Nonce, value, 2UL),
            (Address.Parse(seen.From), Address.Parse(seen.To), (ulong)seen.Nonce.Value, seen.Value.Value, (ulong)seen.Type.Value));
        Assert.Equal((receipt.BlockNumber, receipt.BlockHash), ((ulong)seen.BlockNumber.Value, Hash256.Parse(seen.BlockHash)));
        Assert.Equal("0x", seen.Input);

        var block = await Client.GetBlockAsync(new BlockParameter(receipt.BlockNumber));
        Assert.NotNull(block);
        Assert.Equal(receipt.BlockHash, Hash256.Parse(block.BlockHash));
        Assert.Contains(signed.Hash, block.TransactionHashes.Select(Hash256.Parse));
        Assert.Equal(signed.Nonce + 1, await Client.GetTransactionCountAsync(sender.Address, Latest));
    }

    [Fact]
    public async Task Blocks_TagsAndFees_AreConsistent()
    {
        await fixture.Dev.MineAsync(3);
        var latest = await Client.GetBlockAsync(Latest);
        Assert.NotNull(latest);
        Assert.Equal((ulong)latest.Number.Value, await Client.GetBlockNumberAsync());
        var parent = await Client.GetBlockAsync(new BlockParameter((ulong)latest.Number.Value - 1));
        Assert.Equal(parent!.BlockHash, latest.ParentHash);
        Assert.Null(await Client.GetBlockAsync(new BlockParameter((ulong)latest.Number.Value + 1000)));

        var fees = await fixture.Sender(0).EstimateFeesAsync();
        Assert.Equal((2 * fees.NextBaseFeePerGas) + fees.MaxPriorityFeePerGas, fees.MaxFeePerGas);
        // anvil's next base fee follows EIP-1559 from the latest block; with empty blocks it only falls.
        Assert.InRange(fees.NextBaseFeePerGas, BigInteger.One, latest.BaseFeePerGas.Value);
        Assert.True(fees.MaxPriorityFeePerGas > 0);
    }

    [Fact]
    public async Task Errors_FromTheNode_CarryCodeAndMessage()
    {
        var unknown = await Assert.ThrowsAsync<L1RpcException>(() => Client.RequestAsync<string>("eth_noSuchMethod", []));
        Assert.Equal(-32601, unknown.Code);
        Assert.Equal("eth_noSuchMethod", unknown.Method);
        Assert.Contains("eth_noSuchMethod: error -32601", unknown.Message, StringComparison.Ordinal);

        var garbage = await Assert.ThrowsAsync<L1RpcException>(() => Client.RunAsync("eth_sendRawTransaction", eth => eth.Transactions.SendRawTransaction.SendRequestAsync("0x02c0")));
        Assert.Equal(-32602, garbage.Code);

        // A transaction for another chain.
        var offChain = new TransactionSender(Client, AnvilProcess.DevKey(4), 1);
        var wrongChain = await offChain.SignAsync(new L1TransactionRequest { Nonce = 0, MaxPriorityFeePerGas = 1, MaxFeePerGas = 100_000_000_000, GasLimit = 21_000, To = offChain.Address });
        var refused = await Assert.ThrowsAsync<L1RpcException>(() => offChain.SendRawAsync(wrongChain));
        Assert.NotEmpty(refused.RpcMessage);
        Assert.IsNotType<L1CallRevertedException>(refused);
    }

    [Fact]
    public async Task Mining_AutomineOffAndIntervals_ControlInclusion()
    {
        var sender = fixture.Sender(5, new TransactionSenderOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(20), ReceiptTimeout = TimeSpan.FromMilliseconds(300) });
        await fixture.Dev.SetAutomineAsync(false);
        try
        {
            var pending = await sender.SendAsync(new L1TransactionRequest { To = sender.Address, Value = 1, GasLimit = 21_000 });
            Assert.Null(await Client.GetReceiptAsync(pending.Hash));
            await Assert.ThrowsAsync<TimeoutException>(() => sender.WaitForReceiptAsync(pending.Hash));
            var seen = await Client.GetTransactionAsync(pending.Hash);
            Assert.NotNull(seen);
            Assert.Null(seen.BlockNumber);

            await fixture.Dev.EvmMineAsync();
            Assert.True((await sender.WaitForReceiptAsync(pending.Hash)).Succeeded);

            // Interval mining: blocks come without transactions; wait (by polling, with a deadline) for two.
            var start = await Client.GetBlockNumberAsync();
            await fixture.Dev.SetIntervalMiningAsync(1);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (await Client.GetBlockNumberAsync(deadline.Token) < start + 2)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
        finally
        {
            await fixture.Dev.SetIntervalMiningAsync(0);
            await fixture.Dev.SetAutomineAsync(true);
        }
    }

    [Fact]
    public async Task SnapshotAndBalance_RevertRestoresTheChain()
    {
        var account = PrivateKey.Generate().Address;
        var snapshot = await fixture.Dev.SnapshotAsync();
        var height = await Client.GetBlockNumberAsync();
        await fixture.Dev.SetBalanceAsync(account, BigInteger.Pow(10, 21));
        await fixture.Dev.MineAsync(4);
        Assert.Equal(BigInteger.Pow(10, 21), await BalanceAsync(account, Latest));
        Assert.Equal(height + 4, await Client.GetBlockNumberAsync());

        Assert.True(await fixture.Dev.RevertAsync(snapshot));
        Assert.Equal(height, await Client.GetBlockNumberAsync());
        Assert.Equal(BigInteger.Zero, await BalanceAsync(account, Latest));
        Assert.False(await fixture.Dev.RevertAsync(snapshot)); // used up
    }

    [Fact]
    public async Task Reorg_ReplacesTheLastBlocks_AtTheSameHeights()
    {
        var key = AnvilProcess.DevKey(6);
        var sender = fixture.Sender(6);
        var earlier = await sender.SendAndWaitAsync(new L1TransactionRequest { To = key.Address, Value = 7, GasLimit = 21_000 });
        await fixture.Dev.MineAsync(3);
        var top = await Client.GetBlockNumberAsync();
        var before = new Dictionary<ulong, string>();
        for (var height = top - 4; height <= top; height++)
        {
            before[height] = (await Client.GetBlockAsync(new BlockParameter(height)))!.BlockHash;
        }

        // A transaction signed now goes into the second of the two new blocks.
        var replacement = await sender.SignAsync(new L1TransactionRequest { To = PrivateKey.Generate().Address, Value = 9, GasLimit = 21_000 });
        await fixture.Dev.ReorgAsync(2, [new AnvilReorgTransaction(replacement.Raw, 1)]);

        Assert.Equal(top, await Client.GetBlockNumberAsync());
        for (var height = top - 4; height <= top; height++)
        {
            var block = (await Client.GetBlockAsync(new BlockParameter(height)))!;
            if (height <= top - 2)
            {
                Assert.Equal(before[height], block.BlockHash);
            }
            else
            {
                Assert.NotEqual(before[height], block.BlockHash);
            }
        }
        var newTop = (await Client.GetBlockAsync(new BlockParameter(top)))!;
        Assert.Equal((await Client.GetBlockAsync(new BlockParameter(top - 1)))!.BlockHash, newTop.ParentHash);
        Assert.Equal([replacement.Hash], newTop.TransactionHashes.Select(Hash256.Parse));
        var receipt = await sender.WaitForReceiptAsync(replacement.Hash);
        Assert.Equal((top, Hash256.Parse(newTop.BlockHash)), (receipt.BlockNumber, receipt.BlockHash));
        // The transaction mined before the replaced blocks is untouched.
        Assert.Equal(earlier.BlockHash, (await Client.GetReceiptAsync(earlier.TransactionHash))!.BlockHash);
    }

    [Fact]
    public async Task RawRequest_ReturnsTheResult()
    {
        var version = await Client.RequestAsync<string>("web3_clientVersion", []);
        Assert.StartsWith("anvil", version, StringComparison.OrdinalIgnoreCase);
    }
}
