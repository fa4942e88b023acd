using System.Diagnostics;
using Rollup.Bridge.Batches;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Compression;
using Rollup.Testing;

namespace Rollup.Bench.Custom;

/// <summary>
/// What a batch costs on L1: bytes per transaction posted and L1 gas per 1,000 transactions for each codec, for
/// the columnar payload (docs/batches.md) next to the plain row encoding (each transaction's wire encoding, one
/// after the other) compressed the same way. The flow is the seeded generator's steady state (orders, cancels,
/// oracle updates, margin moves, withdrawals) over 16 markets and 1,000 accounts, signed. Gas is measured by
/// posting every part to the settlement contract on a real anvil (its default hardfork charges calldata at the
/// EIP-7623 floor) and summing the receipts. Usage: <c>rollup-bench batches [--transactions 10000] [--seed 3]</c>.
/// </summary>
internal static class BatchBench
{
    private static readonly string[] Options = ["transactions", "seed"];

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!BenchArgs.TryParse(args, Options, out var parsed, out var error))
        {
            Console.Error.WriteLine($"batches: {error}");
            return 2;
        }
        return RunAsync(parsed.Int("transactions", 10_000), parsed.Int("seed", 3)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int transactions, int seed)
    {
        var report = new CustomReport("batches", "bytes and L1 gas per transaction posted, by codec and layout");
        report.Parameter("transactions", transactions);
        report.Parameter("seed", seed);

        var flow = new ChainFlowGenerator(seed, markets: 16, accounts: 1_000, signingDomain: RollupDomain.Create(31337, default));
        flow.Next(10);
        flow.Next(10); // markets, deposits and first margin: set-up, not steady state
        var blocks = new List<Block>();
        var count = 0;
        while (count < transactions)
        {
            var block = flow.Next(Math.Min(2_000, transactions - count));
            blocks.Add(block with { Number = (ulong)blocks.Count + 1 });
            count += block.Transactions.Length;
        }
        var batch = new L2Batch(blocks);
        var orders = 0;
        foreach (var block in blocks)
        {
            orders += Array.FindAll(block.Transactions, t => t.Kind == TxKind.PlaceOrder).Length;
        }
        report.Parameter("orders among them", orders);
        Console.WriteLine($"batches: {count} transactions ({orders} orders) in {blocks.Count} blocks");

        using var anvil = await AnvilProcess.StartAsync();
        using var rpc = new L1Client(anvil.Endpoint);
        var sequencer = new TransactionSender(rpc, AnvilProcess.DevKey(0), anvil.ChainId);
        var deployment = await SettlementDeployer.DeployAsync(new TransactionSender(rpc, AnvilProcess.DevKey(1), anvil.ChainId), sequencer.Address, AnvilProcess.DevKey(1).Address, new SettlementConfig(), default, default);
        await MeasureAsync(report, "tx", "Per transaction posted (all kinds)", batch, sequencer, deployment);
        var ordersOnly = new List<Block>();
        foreach (var block in blocks)
        {
            ordersOnly.Add(block with { Transactions = Array.FindAll(block.Transactions, t => t.Kind == TxKind.PlaceOrder) });
        }
        await MeasureAsync(report, "order", "Per order posted (a batch of the same flow's orders only)", new L2Batch(ordersOnly), sequencer, deployment);
        var payload = ColumnarBatchEncoder.Encode(batch);
        report.Note($"Uncompressed columnar payload: {(double)payload.Length / count:F1} B per tx; one signature alone is 65 B, incompressible.");
        report.Note("Accounts are indexes into a table of the batch's own addresses, not state-assigned indexes: a batch then decodes with no state at all, and a repeat address costs 1 to 2 bytes either way.");
        report.Note("Gas: the sum of postBatchData receipts for the frame's parts (120 KiB each at most), without the commitment (about 155k gas per batch, docs/contract.md).");
        report.Write();
        Console.WriteLine($"batches: report written to bench/results/batches.md");
        return 0;
    }

    private static async Task MeasureAsync(CustomReport report, string unit, string heading, L2Batch batch, TransactionSender sequencer, SettlementDeployment deployment)
    {
        report.Section(heading);
        var count = batch.TransactionCount;
        var rowBytes = new List<byte>();
        foreach (var block in batch.Blocks)
        {
            foreach (var tx in block.Transactions)
            {
                var row = new byte[TransactionCodec.GetEncodedLength(tx)];
                TransactionCodec.Encode(tx, row);
                rowBytes.AddRange(row);
            }
        }
        foreach (var codec in new[] { CompressionCodecId.None, CompressionCodecId.Lz4, CompressionCodecId.Zstd })
        {
            var encode = Stopwatch.StartNew();
            var frame = BatchFrame.Encode(batch, codec);
            encode.Stop();
            var decode = Stopwatch.StartNew();
            var decoded = BatchFrame.Decode(frame, BatchLimits.Default);
            decode.Stop();
            if (decoded.TransactionCount != count)
            {
                throw new InvalidOperationException("the batch did not round-trip");
            }
            var rowFrame = BatchFrame.Wrap([.. rowBytes], codec);
            var gas = await PostAsync(sequencer, deployment, frame);
            var name = codec.ToString().ToLowerInvariant();
            report.Add($"{unit}.columnar.{name}.bytes", $"columnar, {name}: bytes per {unit}", (double)frame.Length / count, "B", $"row layout, {name}: {(double)rowFrame.Length / count:F1} B");
            report.Add($"{unit}.columnar.{name}.gas_per_1000", $"columnar, {name}: L1 gas per 1,000 {unit}s", gas * 1000.0 / count, "gas", $"{BatchParts.Split(frame).Count} part(s); EIP-7623 floor 40 gas/byte: {frame.Length * 40.0 * 1000 / count:N0}", decimals: 0);
            report.Add($"{unit}.columnar.{name}.encode_ms", $"columnar, {name}: encode {count:N0} {unit}s", encode.Elapsed.TotalMilliseconds, "ms", $"decode {decode.Elapsed.TotalMilliseconds:F1} ms");
        }
    }

    private static async Task<long> PostAsync(TransactionSender sender, SettlementDeployment deployment, byte[] frame)
    {
        long gas = 0;
        var parts = BatchParts.Split(frame);
        for (var i = 0; i < parts.Count; i++)
        {
            var receipt = (await sender.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Settlement, Data = ContractArtifact.Settlement.EncodeCall("postBatchData", 0UL, (uint)i, parts[i].ToArray()) })).EnsureSucceeded();
            gas += (long)receipt.GasUsed;
        }
        (await sender.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Settlement, Data = ContractArtifact.Settlement.EncodeCall("discardBatchData") })).EnsureSucceeded();
        return gas;
    }
}
