using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Steps;
using Rollup.Node.Tests.Bridge;
using Rollup.Primitives;
using Rollup.Testing;
using Xunit.Abstractions;

namespace Rollup.Node.Tests.Disputes;

/// <summary>
/// A lie in a large batch, played out on anvil by the nodes' own players: the game's L1 cost (every move's gas, read from
/// L1's receipts), its moves against the ⌈log2 steps⌉ + 3 bound, and how long it takes. The suite plays a 1,000-order
/// batch; <c>scripts/bench dispute</c> plays 10,000 orders (<c>ROLLUP_DISPUTE_BENCH_ORDERS</c>) and writes the figures to
/// <c>ROLLUP_DISPUTE_BENCH_REPORT</c>.
/// </summary>
public class DisputeScaleTests(ITestOutputHelper output)
{
    private static readonly Lazy<ContractArtifact> GameArtifact = new(() => ContractArtifact.Load("DisputeGame"));

    [Fact]
    public async Task A_lie_in_a_large_batch_falls_within_the_move_bound_and_what_the_game_cost_on_L1_is_read_from_its_receipts()
    {
        var orders = int.Parse(Environment.GetEnvironmentVariable("ROLLUP_DISPUTE_BENCH_ORDERS") ?? "1000", CultureInfo.InvariantCulture);
        var lie = new DishonestSequencer(batchIndex: 1, DomainId.OfMarket(DisputeWorld.Traded), steps => steps / 2);
        var setup = Stopwatch.StartNew();
        await using var world = await DisputeWorld.StartAsync(lie, extraTrades: orders / 4);
        var l1 = world.Devnet.SequencerClient();
        var committed = (await l1.GetCommittedBatchAsync(1, default))!;
        var (transactions, l2Blocks) = (committed.Commitment.TxCount, committed.Commitment.LastBlock - committed.Commitment.FirstBlock + 1);
        Assert.True((await world.Validator.ValidateNextAsync(default))!.Agrees);
        var disputed = Assert.Single((await world.Validator.ValidateNextAsync(default))!.DisputedClaims);
        var steps = disputed.Posted!.Value.Steps;
        setup.Stop();

        var logs = new CapturedLogs(LogLevel.Information);
        var (challenger, defender) = world.Players(logs);
        var firstBlock = await world.Devnet.Rpc.GetBlockNumberAsync() + 1;
        var played = Stopwatch.StartNew();
        var (c, d) = await DisputeWorld.PlayAsync(challenger, defender, rounds: 60);
        played.Stop();
        var game = Assert.Single(challenger.Games);
        Assert.Equal(DisputeGameStatus.ChallengerWon, game.Status);
        DisputeWorld.AssertWithinBound(steps, c, d);
        var lastBlock = await world.Devnet.Rpc.GetBlockNumberAsync();

        var cost = await GameCostAsync(world.Devnet.Rpc, world.Game.Address, firstBlock, lastBlock, DisputeWorld.ChallengerKey.Address, L1Devnet.SequencerKey.Address);
        var report = Report(orders, transactions, l2Blocks, steps, c, d, cost, lastBlock - firstBlock + 1, setup.Elapsed, played.Elapsed);
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("ROLLUP_DISPUTE_BENCH_REPORT") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, $"""
                # Dispute game at scale, {DateTime.UtcNow:yyyy-MM-dd}

                ```sh
                scripts/bench dispute {orders}   # DisputeScaleTests with ROLLUP_DISPUTE_BENCH_ORDERS={orders}
                ```

                A sequencer (in process) posts three batches to anvil (automine), the second lying about market 1's end
                root from half its trace on (`DishonestSequencer`); a validator re-executes, disagrees, and the nodes'
                own players (`ChallengeRunner`, `DefenseRunner`) play the game back to back, one round each in turn.
                Gas is read from L1's receipts of every transaction to the game. On the devnet's clock (1 s blocks, each
                move mined in the next block after the other side's) the game lasts about one block a call.

                ```
                {report}
                ```

                """);
        }
        Assert.Equal(c, cost.ChallengerCalls - cost.Withdrawals);
        Assert.Equal(d, cost.DefenderCalls);
    }

    private sealed record GameCost(int ChallengerCalls, int DefenderCalls, int Withdrawals, BigInteger ChallengerGas, BigInteger DefenderGas, BigInteger ChallengeGas, BigInteger ProofGas, IReadOnlyList<(string Side, string Call, ulong Gas)> Calls);

    /// <summary>Every transaction to the game in the blocks the game was played in, by sender, with its receipt's gas.</summary>
    private static async Task<GameCost> GameCostAsync(L1Client rpc, Address game, ulong from, ulong to, Address challenger, Address defender)
    {
        var calls = new List<(string Side, string Call, ulong Gas)>();
        var (challengerGas, defenderGas, challengeGas, proofGas) = (BigInteger.Zero, BigInteger.Zero, BigInteger.Zero, BigInteger.Zero);
        var (challengerCalls, defenderCalls, withdrawals) = (0, 0, 0);
        for (var number = from; number <= to; number++)
        {
            var block = (await rpc.GetBlockAsync(new BlockParameter(number)))!;
            foreach (var hash in block.TransactionHashes)
            {
                var tx = (await rpc.GetTransactionAsync(Hash256.Parse(hash)))!;
                if (tx.To is null || !string.Equals(tx.To, game.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var receipt = (await rpc.GetReceiptAsync(Hash256.Parse(hash)))!;
                Assert.True(receipt.Succeeded, $"a game call reverted in block {number}");
                var call = GameArtifact.Value.FunctionNameOf(Convert.FromHexString(tx.Input[2..]));
                var isChallenger = string.Equals(tx.From, challenger.ToString(), StringComparison.OrdinalIgnoreCase);
                Assert.True(isChallenger || string.Equals(tx.From, defender.ToString(), StringComparison.OrdinalIgnoreCase), $"a game call from {tx.From}");
                calls.Add((isChallenger ? "challenger" : "defender", call, receipt.GasUsed));
                if (isChallenger)
                {
                    challengerCalls++;
                    challengerGas += receipt.GasUsed;
                }
                else
                {
                    defenderCalls++;
                    defenderGas += receipt.GasUsed;
                }
                if (call.StartsWith("challenge", StringComparison.Ordinal))
                {
                    challengeGas += receipt.GasUsed;
                }
                if (call.StartsWith("prove", StringComparison.Ordinal))
                {
                    proofGas += receipt.GasUsed;
                }
                if (call.StartsWith("withdraw", StringComparison.Ordinal))
                {
                    withdrawals++;
                }
            }
        }
        return new GameCost(challengerCalls, defenderCalls, withdrawals, challengerGas, defenderGas, challengeGas, proofGas, calls);
    }

    private static string Report(int orders, ulong transactions, ulong blocks, ulong steps, int challengerMoves, int defenderMoves, GameCost cost, ulong l1Blocks, TimeSpan setup, TimeSpan played)
    {
        var text = new System.Text.StringBuilder();
        var bound = (int)Math.Ceiling(Math.Log2(steps)) + 3;
        text.AppendLine(CultureInfo.InvariantCulture, $"dispute of one market's claim in a batch of {transactions:N0} transactions ({orders:N0} of them orders of the market's taking turns, {blocks} L2 blocks), the lie at step {steps / 2:N0} of {steps:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"moves: challenger {challengerMoves}, defender {defenderMoves} (bound ⌈log2 {steps}⌉ + 3 = {bound} a side); L1 transactions to the game {cost.Calls.Count} in {l1Blocks} L1 blocks (anvil, one transaction a block)");
        text.AppendLine(CultureInfo.InvariantCulture, $"gas: whole game {cost.ChallengerGas + cost.DefenderGas:N0} (challenger {cost.ChallengerGas:N0}, defender {cost.DefenderGas:N0}); challenge {cost.ChallengeGas:N0}; one-step proof {cost.ProofGas:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"time: setup (sequencer, batches on L1, validator) {setup.TotalSeconds:F1} s; the game played back to back {played.TotalSeconds:F1} s");
        text.AppendLine("calls, in order:");
        foreach (var (side, call, gas) in cost.Calls)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {side,-10} {call,-28} {gas,10:N0}");
        }
        return text.ToString();
    }
}
