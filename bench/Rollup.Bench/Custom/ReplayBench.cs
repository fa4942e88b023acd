using System.Diagnostics;
using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Execution.Steps;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Bench.Custom;

/// <summary>
/// A validator replaying L1: a venue's signed flow (<see cref="TradingFlowGenerator"/>) is executed by a sequencer
/// engine, its deposits are queued on a real anvil and its blocks posted there as batches with commitments by the
/// node's own <see cref="BatchPoster"/>; then a fresh validator (<see cref="Validator"/> over a new engine that
/// verifies every signature) derives the batches from anvil alone and executes them, checking every commitment. Its
/// transactions and orders per second are compared with the machine's secp256k1 recovery ceiling measured in the
/// same run: a single-signature flow cannot be replayed faster than its signers can be recovered.
/// Usage: <c>rollup-bench replay [--transactions 200000] [--txs 10000] [--markets 16] [--accounts 1000] [--workers 2] [--seed 7] [--ceiling-seconds 3]</c>.
/// </summary>
internal static class ReplayBench
{
    /// <summary>Issue 14's goal: the validator's recovered signers per second against the ceiling.</summary>
    private const double CeilingGoal = 0.9;

    private static readonly string[] Options = ["transactions", "txs", "markets", "accounts", "workers", "seed", "ceiling-seconds"];

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!BenchArgs.TryParse(args, Options, out var parsed, out var error))
        {
            Console.Error.WriteLine($"replay: {error}");
            return 2;
        }
        var settings = new Settings(
            parsed.Int("transactions", 200_000), parsed.Int("txs", 10_000), parsed.Int("markets", 16), parsed.Int("accounts", 1_000),
            parsed.Int("workers", 2), parsed.Int("seed", 7), parsed.Double("ceiling-seconds", 3));
        return RunAsync(settings).GetAwaiter().GetResult();
    }

    private sealed record Settings(int Transactions, int Txs, int Markets, int Accounts, int Workers, int Seed, double CeilingSeconds);

    private static async Task<int> RunAsync(Settings settings)
    {
        var report = new CustomReport("replay", "a fresh validator derives the batches from anvil and executes them, signatures verified");
        report.Parameter("--transactions", settings.Transactions);
        report.Parameter("--txs", settings.Txs);
        report.Parameter("--markets", settings.Markets);
        report.Parameter("--accounts", settings.Accounts);
        report.Parameter("--workers", settings.Workers);
        report.Parameter("--seed", settings.Seed);
        Console.WriteLine($"replay: {settings}");
        var ceilingDuration = TimeSpan.FromSeconds(settings.CeilingSeconds);
        var before = Ceiling(ceilingDuration);

        var sequencerKey = AnvilProcess.DevKey(0);
        var deployerKey = AnvilProcess.DevKey(1);
        var depositorKey = AnvilProcess.DevKey(3);
        using var anvil = await AnvilProcess.StartAsync();
        using var rpc = new L1Client(anvil.Endpoint);
        // Deposits are all queued before the first batch: give the sequencer room to include them.
        var config = new SettlementConfig { ForcedInclusionBlocks = 1_000_000 };
        var deployment = await SettlementDeployer.DeployAsync(new TransactionSender(rpc, deployerKey, anvil.ChainId), sequencerKey.Address, deployerKey.Address, config, BatchPoster.GenesisStateRoot, default);
        var domain = RollupDomain.Create(anvil.ChainId, deployment.Settlement);
        EngineOptions Engine(bool verify) => new()
        {
            ChainId = anvil.ChainId,
            SettlementContract = deployment.Settlement,
            Operators = ChainFlowGenerator.Operators,
            Workers = settings.Workers,
            VerifySignatures = verify,
        };

        // The flow, signed in this chain's domain, and the sequencer's execution of it (untimed).
        var stopwatch = Stopwatch.StartNew();
        var blocks = new List<Block>();
        using (var generator = new TradingFlowGenerator(settings.Seed, settings.Markets, settings.Accounts, domain))
        {
            blocks.Add(generator.Next(settings.Txs));
            blocks.Add(generator.Next(settings.Txs));
            while (blocks.Sum(b => b.Transactions.Length) < settings.Transactions)
            {
                blocks.Add(generator.Next(settings.Txs));
            }
        }
        var transactions = blocks.Sum(b => b.Transactions.Length);
        var orders = blocks.Sum(b => b.Transactions.Count(t => t.Kind == TxKind.PlaceOrder));
        var signed = blocks.Sum(b => b.Transactions.Count(t => t.Kind != TxKind.Deposit));
        Console.WriteLine($"replay: {transactions:N0} transactions ({orders:N0} orders) in {blocks.Count} blocks, signed, in {stopwatch.Elapsed.TotalSeconds:F1} s (untimed)");

        using var sequencerDirectory = new TempDirectory("rollup-bench-replay-sequencer");
        using var sequencer = ExecutionEngine.Open(sequencerDirectory.Path, Engine(verify: false));
        long sequencerAccepted = 0;
        foreach (var block in blocks)
        {
            sequencerAccepted += sequencer.Execute(block).Receipts.Count(r => r.IsAccepted);
        }

        stopwatch.Restart();
        var deposits = blocks.SelectMany(b => b.Transactions).Where(t => t.Kind == TxKind.Deposit).OrderBy(t => t.DepositIndex).ToList();
        await QueueDepositsAsync(new TransactionSender(rpc, depositorKey, anvil.ChainId), deployment, deposits);
        Console.WriteLine($"replay: {deposits.Count:N0} deposits queued on L1 in {stopwatch.Elapsed.TotalSeconds:F1} s (untimed)");

        stopwatch.Restart();
        var sink = new SettlementClient(rpc, deployment.Settlement, new ContractTransactor(rpc, new TransactionSender(rpc, sequencerKey, anvil.ChainId), ContractArtifact.Settlement, NullLogger.Instance))
        {
            FromBlock = deployment.DeploymentBlock,
        };
        var poster = new BatchPoster(sink, new EngineBlocks(sequencer), new BatchPosterOptions(), NullLogger.Instance);
        var batches = 0;
        while (await poster.PostNextAsync(default) is not null)
        {
            batches++;
        }
        Console.WriteLine($"replay: {batches} batches, {poster.PartsPosted} parts, {poster.BytesPosted / 1e6:F1} MB posted in {stopwatch.Elapsed.TotalSeconds:F1} s (untimed)");

        // The validator: nothing but L1 and a fresh engine. Timed from its first read to its last check.
        using var validatorDirectory = new TempDirectory("rollup-bench-replay-validator");
        using var engine = ExecutionEngine.Open(validatorDirectory.Path, Engine(verify: true));
        var executor = new TimedExecutor(engine);
        var source = new TimedSource(new SettlementClient(rpc, deployment.Settlement) { FromBlock = deployment.DeploymentBlock });
        var validator = new Validator(source, executor, new ValidatorOptions(), NullLogger.Instance);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        stopwatch.Restart();
        var agreed = 0;
        while (await validator.ValidateNextAsync(default) is { } checkedBatch)
        {
            if (!checkedBatch.Agrees)
            {
                Console.WriteLine($"replay: batch {checkedBatch.BatchIndex} DISAGREES: {string.Join("; ", checkedBatch.Mismatches)}");
                break;
            }
            agreed++;
        }
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var (batchSeconds, batchReads, depositSeconds, depositReads) = (source.BatchSeconds, source.BatchReads, source.DepositSeconds, source.DepositReads);
        var steps = await MeasureChecksAsync(source, engine, agreed);
        var after = Ceiling(ceilingDuration);
        var ceiling = Math.Max(before.All, after.All);

        var recovered = executor.Signed / seconds;
        Console.WriteLine($"replay: validator {executor.Transactions / seconds:N0} tx/s ({executor.Accepted / seconds:N0} accepted, {executor.Orders / seconds:N0} orders/s, {recovered:N0} signers/s = {recovered / ceiling:F3} of the ceiling {ceiling:N0}/s), {agreed} of {batches} batches agreed");

        report.Section("Machine limit, measured in this run (best of before and after)");
        report.Add($"limit.secp256k1.recover.threads{Environment.ProcessorCount}", $"secp256k1 recover to address, {Environment.ProcessorCount} threads", ceiling, "op/s",
            $"before {before.All:N0}, after {after.All:N0}; 1 thread {Math.Max(before.One, after.One):N0}", 0);
        report.Section("The validator, from its first L1 read to its last commitment check");
        report.Add("replay.signers_per_s", "**signers recovered per second** (signed transactions / wall time)", recovered, "op/s",
            $"{recovered / ceiling:F3} of the ceiling (goal >= {CeilingGoal:F1}: {recovered / ceiling / CeilingGoal:P0} of it)", 0);
        report.Add("replay.tx_per_s", "transactions / wall time (deposits included)", executor.Transactions / seconds, "tx/s", $"{executor.Transactions:N0} in {seconds:F1} s", 0);
        report.Add("replay.accepted_tx_per_s", "accepted transactions / wall time", executor.Accepted / seconds, "tx/s",
            $"{(double)executor.Accepted / executor.Transactions:P1} accepted, as the sequencer's {sequencerAccepted:N0}", 0);
        report.Add("replay.orders_per_s", "orders / wall time", executor.Orders / seconds, "orders/s", "", 0);
        report.Add("replay.batches", "batches checked and agreed", agreed, "batches", $"of {batches} posted ({poster.PartsPosted} parts, {poster.BytesPosted / (double)transactions:F1} B per tx on L1)", 0);
        report.Add("replay.execute_share", "share of the wall time in block execution (signatures included)", 100 * executor.ExecuteSeconds / seconds, "%",
            "", 1);
        report.Add("replay.l1_batches_share", "share of the wall time reading batches from L1 (logs, commitment, parts' calldata)", 100 * batchSeconds / seconds, "%",
            $"{batchReads} reads", 1);
        report.Add("replay.l1_deposits_share", "share of the wall time reading the L1 deposit queue (one eth_call per deposit)", 100 * depositSeconds / seconds, "%",
            $"{depositReads:N0} reads, {depositSeconds * 1e6 / Math.Max(1, depositReads):N0} µs each", 1);
        report.Add("replay.domain_state_share", "share of the wall time rebuilding the accounts domain's start state for the claims", 100 * executor.DomainStateSeconds / seconds, "%", "", 1);
        var rest = seconds - executor.ExecuteSeconds - batchSeconds - depositSeconds - executor.DomainStateSeconds;
        report.Add("replay.rest_share", "the rest: decoding, roots and the accounts claim (its step trace) checked against the commitment", 100 * rest / seconds, "%", $"{rest:F2} s", 1);
        report.Add("replay.rest.decode_s", "of the rest, re-measured afterwards: joining and decoding the batches (zstd, columnar)", steps.Decode, "s", $"{steps.Decode * 1e6 / transactions:F1} µs per tx", 2);
        report.Add("replay.rest.roots_s", "... the transaction and block-header roots of the batches", steps.Roots, "s", $"{steps.Roots * 1e6 / transactions:F1} µs per tx", 2);
        report.Add("replay.rest.claims_s", "... the accounts domain's claim (its step trace over the batch's blocks)", steps.Claims, "s", $"{steps.Claims * 1e6 / transactions:F1} µs per tx", 2);
        report.Add("replay.signature_share", "share of the wall time in phase 0 (signature recovery)", 100 * executor.SignatureSeconds / seconds, "%",
            $"recovery alone ran at {executor.Signed / executor.SignatureSeconds:N0}/s = {executor.Signed / executor.SignatureSeconds / ceiling:F3} of the ceiling", 1);
        report.Add("replay.cpu_cores", "CPU of the process over the replay", cpu.TotalSeconds / seconds, "cores", $"of {Environment.ProcessorCount}; anvil's own CPU not counted", 2);
        report.Note($"Flow: TradingFlowGenerator, seed {settings.Seed}, {settings.Markets} markets, {settings.Accounts:N0} accounts, {settings.Txs:N0}-transaction blocks ({blocks.Count} blocks, 2 of them set-up), signed in the chain's EIP-712 domain; {deposits.Count:N0} L1 deposits. Batches by the node's BatchPoster (zstd, default part size) to anvil on 127.0.0.1; the validator is the node's Validator class in this process with its own engine (VerifySignatures on, {settings.Workers} workers), reading anvil through SettlementClient.");
        report.Note("The validator executes block after block: recovery (phase 0) and execution (phases A-C) of one block run one after the other, so the ratio to the ceiling is at most recovery / (recovery + execution + L1 reads).");
        report.Write();
        return agreed == batches ? 0 : 1;
    }

    /// <summary>
    /// The validator's checks beside execution, again on the batches it agreed with (untimed for the headline): decoding,
    /// the roots over transactions and headers, and the accounts claim, each as <see cref="Validator"/> computes them.
    /// </summary>
    private static async Task<(double Decode, double Roots, double Claims)> MeasureChecksAsync(IBatchSource source, ExecutionEngine engine, int batches)
    {
        double decode = 0, roots = 0, claims = 0;
        var limits = new ValidatorOptions().Limits;
        for (var index = 0UL; index < (ulong)batches; index++)
        {
            var committed = await source.GetCommittedBatchAsync(index, default) ?? throw new InvalidOperationException($"batch {index} is gone");
            var c = committed.Commitment;
            var start = Stopwatch.GetTimestamp();
            var batch = Rollup.Bridge.Batches.BatchFrame.Decode(Rollup.Bridge.Batches.BatchParts.Join(committed.Parts, limits), limits);
            decode += Stopwatch.GetElapsedTime(start).TotalSeconds;
            start = Stopwatch.GetTimestamp();
            _ = BatchTransactionRoot.Compute(c.FirstSequence, batch.Blocks);
            _ = BatchBlocksRoot.Compute(c.FirstSequence, batch.Blocks);
            roots += Stopwatch.GetElapsedTime(start).TotalSeconds;
            var accountsStart = engine.AccountsDomainStateAfter(c.FirstBlock - 1);
            var records = new List<BlockRecord>();
            for (var number = c.FirstBlock; number <= c.LastBlock; number++)
            {
                records.Add(engine.GetBlock(number)!);
            }
            start = Stopwatch.GetTimestamp();
            _ = Rollup.Bridge.Batches.BatchClaims.Of(accountsStart, null, c.FirstSequence, records);
            claims += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Console.WriteLine($"replay: checks re-measured: decode {decode:F2} s, roots {roots:F2} s, accounts claim {claims:F2} s");
        return (decode, roots, claims);
    }

    private static (double One, double All) Ceiling(TimeSpan duration)
    {
        var one = RecoveryCeiling.RecoveriesPerSecond(1, duration);
        var all = Environment.ProcessorCount > 1 ? RecoveryCeiling.RecoveriesPerSecond(Environment.ProcessorCount, duration) : one;
        Console.WriteLine($"ceiling: secp256k1 recover {one:N0}/s on 1 thread, {all:N0}/s on {Environment.ProcessorCount}");
        return (one, all);
    }

    /// <summary>
    /// Queues every deposit of the flow on L1, in index order, from one funded account: one mint and one approval,
    /// then the deposits sent back to back with explicit nonces and gas, and only the last one waited for.
    /// </summary>
    private static async Task QueueDepositsAsync(TransactionSender sender, SettlementDeployment deployment, List<Transaction> deposits)
    {
        var total = deposits.Aggregate(BigInteger.Zero, (sum, d) => sum + d.Amount);
        await SettlementDeployer.MintAsync(sender, deployment.Token, sender.Address, total, default);
        var approve = ContractArtifact.MockUsdc.EncodeCall("approve", deployment.Settlement.ToString(), total);
        (await sender.SendAndWaitAsync(new L1TransactionRequest { To = deployment.Token, Data = approve })).EnsureSucceeded();
        var fees = await sender.EstimateFeesAsync();
        var first = await sender.SignAsync(new L1TransactionRequest { To = deployment.Settlement, Data = ContractArtifact.Settlement.EncodeCall("deposit", deposits[0].Amount, deposits[0].Account.ToString()) });
        var gas = await sender.EstimateGasAsync(deployment.Settlement, ContractArtifact.Settlement.EncodeCall("deposit", deposits[0].Amount, deposits[0].Account.ToString()), BigInteger.Zero);
        SignedL1Transaction? last = null;
        for (var i = 0; i < deposits.Count; i++)
        {
            last = await sender.SendAsync(new L1TransactionRequest
            {
                To = deployment.Settlement,
                Data = ContractArtifact.Settlement.EncodeCall("deposit", deposits[i].Amount, deposits[i].Account.ToString()),
                Nonce = first.Nonce + (ulong)i,
                GasLimit = gas * 2,
                MaxFeePerGas = fees.MaxFeePerGas * 4,
                MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas,
            });
        }
        (await sender.WaitForReceiptAsync(last!.Hash)).EnsureSucceeded();
    }

    private sealed class EngineBlocks(ExecutionEngine engine) : IBlockSource
    {
        public ulong HeadBlock => engine.Head.BlockNumber;

        public BlockRecord? GetBlock(ulong number) => engine.GetBlock(number);

        public AccountsDomainState AccountsDomainStateAfter(ulong number) => engine.AccountsDomainStateAfter(number);
    }

    /// <summary>The validator's engine, counting what it executes and how long that takes.</summary>
    private sealed class TimedExecutor(ExecutionEngine engine) : IBlockExecutor
    {
        public long Transactions { get; private set; }

        public long Accepted { get; private set; }

        public long Orders { get; private set; }

        public long Signed { get; private set; }

        public double ExecuteSeconds { get; private set; }

        public double SignatureSeconds { get; private set; }

        public ChainHead Head => engine.Head;

        public BlockResult Execute(Block block)
        {
            var start = Stopwatch.GetTimestamp();
            var result = engine.Execute(block);
            ExecuteSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
            SignatureSeconds += BlockPhaseTimes.Milliseconds(engine.LastPhaseTimes.Signatures) / 1000;
            Transactions += block.Transactions.Length;
            foreach (var receipt in result.Receipts)
            {
                Accepted += receipt.IsAccepted ? 1 : 0;
            }
            foreach (ref readonly var tx in block.Transactions.AsSpan())
            {
                Orders += tx.Kind == TxKind.PlaceOrder ? 1 : 0;
                Signed += tx.Kind == TxKind.Deposit ? 0 : 1;
            }
            return result;
        }

        public double DomainStateSeconds { get; private set; }

        public BlockRecord? GetBlock(ulong number) => engine.GetBlock(number);

        public AccountsDomainState AccountsDomainStateAfter(ulong number)
        {
            var start = Stopwatch.GetTimestamp();
            var state = engine.AccountsDomainStateAfter(number);
            DomainStateSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
            return state;
        }
    }

    /// <summary>The validator's L1 reads, timed.</summary>
    private sealed class TimedSource(IBatchSource inner) : IBatchSource
    {
        public double BatchSeconds { get; private set; }

        public int BatchReads { get; private set; }

        public double DepositSeconds { get; private set; }

        public long DepositReads { get; private set; }

        public async Task<CommittedBatch?> GetCommittedBatchAsync(ulong batchIndex, CancellationToken cancellation)
        {
            var start = Stopwatch.GetTimestamp();
            var batch = await inner.GetCommittedBatchAsync(batchIndex, cancellation).ConfigureAwait(false);
            BatchSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
            BatchReads++;
            return batch;
        }

        public Task<ulong> GetCommittedBatchCountAsync(CancellationToken cancellation) => inner.GetCommittedBatchCountAsync(cancellation);

        public async Task<(Rollup.Primitives.Address L2Account, ulong Amount)?> GetQueuedDepositAsync(ulong index, CancellationToken cancellation)
        {
            var start = Stopwatch.GetTimestamp();
            var deposit = await inner.GetQueuedDepositAsync(index, cancellation).ConfigureAwait(false);
            DepositSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
            DepositReads++;
            return deposit;
        }
    }
}
