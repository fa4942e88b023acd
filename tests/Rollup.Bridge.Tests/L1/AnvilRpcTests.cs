using System.Numerics;
using System.Text.Json;
using Rollup.Bridge.L1;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

/// <summary>The client and sender against a real anvil: value transfers, blocks, fees, errors, mining modes, reorgs.</summary>
public class AnvilRpcTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private L1RpcClient Client => fixture.Client;

    [Fact]
    public async Task ChainAndAccounts_MatchTheDevnet()
    {
        Assert.Equal(AnvilProcess.DefaultChainId, await Client.GetChainIdAsync());
        var accounts = await Client.RequestAsync("eth_accounts", [], default);
        Assert.Equal(
            AnvilProcess.DevKeys.Select(k => PrivateKey.Parse(k).Address),
            accounts.EnumerateArray().Select(a => Address.Parse(a.GetString()!)));
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
        Assert.Equal(value, await Client.GetBalanceAsync(recipient, BlockTag.Latest));
        var before = await Client.GetBalanceAsync(sender.Address, receipt.BlockNumber - 1);
        var after = await Client.GetBalanceAsync(sender.Address, receipt.BlockNumber);
        Assert.Equal(before - value - (receipt.GasUsed * receipt.EffectiveGasPrice), after);

        // The node reports the transaction as we built it.
        var seen = await Client.GetTransactionByHashAsync(signed.Hash);
        Assert.NotNull(seen);
        Assert.Equal((sender.Address, recipient, signed.Transaction.Nonce, value, 2UL), (seen.From, seen.To, seen.Nonce, seen.Value, seen.Type));
        Assert.Equal((receipt.BlockNumber, receipt.BlockHash), (seen.BlockNumber, seen.BlockHash));
        Assert.True(seen.Input.IsEmpty);

        var block = await Client.GetBlockAsync(receipt.BlockNumber);
        Assert.NotNull(block);
        Assert.Equal(receipt.BlockHash, block.Hash);
        Assert.Contains(signed.Hash, block.TransactionHashes);
        var byHash = await Client.GetBlockByHashAsync(block.Hash);
        Assert.Equal((block.Number, block.ParentHash, block.Timestamp), (byHash!.Number, byHash.ParentHash, byHash.Timestamp));
        Assert.Equal(signed.Transaction.Nonce + 1, await Client.GetTransactionCountAsync(sender.Address, BlockTag.Latest));
    }

    [Fact]
    public async Task SendRaw_HandSignedTransaction_IsAccepted()
    {
        var key = AnvilProcess.DevKey(2);
        var baseFee = (await Client.GetBlockAsync(BlockTag.Latest))!.BaseFeePerGas!.Value;
        var transaction = new Eip1559Transaction
        {
            ChainId = AnvilProcess.DefaultChainId,
            Nonce = await Client.GetTransactionCountAsync(key.Address, BlockTag.Pending),
            MaxPriorityFeePerGas = 1_000_000_000,
            MaxFeePerGas = (2 * baseFee) + 1_000_000_000,
            GasLimit = 21_000,
            To = Address.Parse("0x000000000000000000000000000000000000dEaD"),
            Value = 1,
        };
        var signed = transaction.Sign(key);
        Assert.Equal(signed.Hash, await Client.SendRawTransactionAsync(signed.ToRawArray()));
        var receipt = await fixture.Sender(2).WaitForReceiptAsync(signed.Hash);
        Assert.True(receipt.Succeeded);
        Assert.Equal(key.Address, receipt.From);
    }

    [Fact]
    public async Task Blocks_TagsAndFeeHistory_AreConsistent()
    {
        await fixture.Dev.MineAsync(3);
        var latest = await Client.GetBlockAsync(BlockTag.Latest);
        Assert.NotNull(latest);
        Assert.Equal(latest.Number, await Client.GetBlockNumberAsync());
        var parent = await Client.GetBlockAsync(latest.Number - 1);
        Assert.Equal(parent!.Hash, latest.ParentHash);
        Assert.True(latest.Timestamp >= parent.Timestamp);
        Assert.NotNull(await Client.GetBlockAsync(BlockTag.Safe));
        Assert.NotNull(await Client.GetBlockAsync(BlockTag.Finalized));
        Assert.Null(await Client.GetBlockAsync(latest.Number + 1000));
        Assert.Null(await Client.GetBlockByHashAsync(Hash256.Parse("0x" + new string('7', 64))));

        var history = await Client.GetFeeHistoryAsync(3, BlockTag.Latest, [25, 75]);
        Assert.Equal(latest.Number - 2, history.OldestBlock);
        Assert.Equal(4, history.BaseFeePerGas.Count);
        Assert.Equal(latest.BaseFeePerGas, history.BaseFeePerGas[^2]);
        Assert.Equal(parent.BaseFeePerGas, history.BaseFeePerGas[^3]);
        Assert.Equal(3, history.GasUsedRatio.Count);
        Assert.All(history.Reward, r => Assert.Equal(2, r.Count));

        var fees = await fixture.Sender(0).EstimateFeesAsync();
        Assert.Equal((2 * fees.NextBaseFeePerGas) + fees.MaxPriorityFeePerGas, fees.MaxFeePerGas);
        Assert.Equal(await Client.GetMaxPriorityFeePerGasAsync(), fees.MaxPriorityFeePerGas);
        Assert.True(await Client.GetGasPriceAsync() > 0);
    }

    [Fact]
    public async Task Errors_FromTheNode_CarryCodeAndMessage()
    {
        var unknown = await Assert.ThrowsAsync<L1RpcException>(() => Client.RequestAsync("eth_noSuchMethod", [], default));
        Assert.Equal(-32601, unknown.Code);
        Assert.Equal("eth_noSuchMethod", unknown.Method);
        Assert.Contains("eth_noSuchMethod: error -32601", unknown.Message, StringComparison.Ordinal);

        var garbage = await Assert.ThrowsAsync<L1RpcException>(() => Client.SendRawTransactionAsync(new byte[] { 0x02, 0xc0 }));
        Assert.Equal(-32602, garbage.Code);

        // A transaction for another chain.
        var key = AnvilProcess.DevKey(4);
        var wrongChain = new Eip1559Transaction
        {
            ChainId = 1,
            Nonce = 0,
            MaxPriorityFeePerGas = 1,
            MaxFeePerGas = 100_000_000_000,
            GasLimit = 21_000,
            To = key.Address,
        }.Sign(key);
        var refused = await Assert.ThrowsAsync<L1RpcException>(() => Client.SendRawTransactionAsync(wrongChain.ToRawArray()));
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
            Assert.Null(await Client.GetTransactionReceiptAsync(pending.Hash));
            await Assert.ThrowsAsync<TimeoutException>(() => sender.WaitForReceiptAsync(pending.Hash));
            var seen = await Client.GetTransactionByHashAsync(pending.Hash);
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
        Assert.Equal(BigInteger.Pow(10, 21), await Client.GetBalanceAsync(account, BlockTag.Latest));
        Assert.Equal(height + 4, await Client.GetBlockNumberAsync());

        Assert.True(await fixture.Dev.RevertAsync(snapshot));
        Assert.Equal(height, await Client.GetBlockNumberAsync());
        Assert.Equal(BigInteger.Zero, await Client.GetBalanceAsync(account, BlockTag.Latest));
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
        var before = new Dictionary<ulong, Hash256>();
        for (var height = top - 4; height <= top; height++)
        {
            before[height] = (await Client.GetBlockAsync(height))!.Hash;
        }

        // A transaction signed now goes into the second of the two new blocks.
        var replacement = await sender.SignAsync(new L1TransactionRequest { To = PrivateKey.Generate().Address, Value = 9, GasLimit = 21_000 });
        await fixture.Dev.ReorgAsync(2, [new AnvilReorgTransaction(replacement.ToRawArray(), 1)]);

        Assert.Equal(top, await Client.GetBlockNumberAsync());
        for (var height = top - 4; height <= top; height++)
        {
            var block = (await Client.GetBlockAsync(height))!;
            if (height <= top - 2)
            {
                Assert.Equal(before[height], block.Hash);
            }
            else
            {
                Assert.NotEqual(before[height], block.Hash);
            }
        }
        var newTop = (await Client.GetBlockAsync(top))!;
        Assert.Equal((await Client.GetBlockAsync(top - 1))!.Hash, newTop.ParentHash);
        Assert.Equal([replacement.Hash], newTop.TransactionHashes);
        var receipt = await sender.WaitForReceiptAsync(replacement.Hash);
        Assert.Equal((top, newTop.Hash), (receipt.BlockNumber, receipt.BlockHash));
        // The transaction mined before the replaced blocks is untouched.
        Assert.Equal(earlier.BlockHash, (await Client.GetTransactionReceiptAsync(earlier.TransactionHash))!.BlockHash);
    }

    [Fact]
    public async Task RawRequest_ReturnsTheResultElement()
    {
        var result = await Client.RequestAsync("web3_clientVersion", [], default);
        Assert.Equal(JsonValueKind.String, result.ValueKind);
        Assert.StartsWith("anvil", result.GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
