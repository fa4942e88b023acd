using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Tests.Posting;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Compression;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Validation;

public sealed class ValidatorTests : IDisposable
{
    private const ulong ChainId = 31337;
    private static readonly Address Contract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    private readonly TempDirectory _directory = new("rollup-validator");
    private readonly ExecutionEngine _sequencer;
    private readonly FakeSettlement _l1 = new();
    private readonly Dictionary<ulong, (Address, ulong)> _queue = [];

    public ValidatorTests()
    {
        _sequencer = ExecutionEngine.Open(Path.Combine(_directory.Path, "sequencer"), Options(verify: false));
        var flow = new ChainFlowGenerator(seed: 8, markets: 5, accounts: 30, signingDomain: RollupDomain.Create(ChainId, Contract));
        for (var i = 0; i < 8; i++)
        {
            var block = flow.Next(120);
            foreach (var tx in block.Transactions)
            {
                if (tx.Kind == TxKind.Deposit)
                {
                    _queue[tx.DepositIndex] = (tx.Account, tx.Amount);
                }
            }
            _sequencer.Execute(block);
        }
    }

    public void Dispose()
    {
        _sequencer.Dispose();
        _directory.Dispose();
    }

    private static EngineOptions Options(bool verify) => new()
    {
        ChainId = ChainId,
        SettlementContract = Contract,
        Operators = ChainFlowGenerator.Operators,
        Workers = 2,
        VerifySignatures = verify,
    };

    [Fact]
    public async Task A_validator_rebuilding_from_L1_data_alone_agrees_with_every_batch_and_ends_on_the_same_root()
    {
        await PostAll();
        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "validator"), Options(verify: true));
        var validator = new Validator(new Source(_l1, _queue), new Executor(engine), new ValidatorOptions(), NullLogger.Instance);
        var reports = new List<ValidationReport>();
        while (await validator.ValidateNextAsync(default) is { } report)
        {
            reports.Add(report);
        }
        Assert.Equal(_l1.Committed.Count, reports.Count);
        Assert.All(reports, r => Assert.True(r.Agrees, string.Join("; ", r.Mismatches)));
        Assert.Equal(_sequencer.Head.StateRoot, engine.Head.StateRoot);
    }

    [Fact]
    public async Task A_validator_derives_bulks_from_L1_checking_their_signatures_and_agrees_with_every_batch()
    {
        var l1 = new FakeSettlement();
        var queue = new Dictionary<ulong, (Address, ulong)>();
        using var sequencer = ExecutionEngine.Open(Path.Combine(_directory.Path, "bulk-sequencer"), Options(verify: false));
        var flow = new ChainFlowGenerator(seed: 9, markets: 3, accounts: 20, signingDomain: RollupDomain.Create(ChainId, Contract)) { BulkItems = 8 };
        var itemResults = 0;
        for (var i = 0; i < 6; i++)
        {
            var block = flow.Next(100);
            foreach (var tx in block.Transactions)
            {
                if (tx.Kind == TxKind.Deposit)
                {
                    queue[tx.DepositIndex] = (tx.Account, tx.Amount);
                }
            }
            itemResults += sequencer.Execute(block).Receipts.Sum(r => r.Items?.Count ?? 0);
        }
        Assert.True(itemResults > 1000, $"{itemResults} bulk items executed");

        var poster = new BatchPoster(l1, new Blocks(sequencer), new BatchPosterOptions { MaxBlocksPerBatch = 2, Codec = CompressionCodecId.Zstd }, NullLogger.Instance);
        while (await poster.PostNextAsync(default) is not null)
        {
        }
        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "bulk-validator"), Options(verify: true));
        var validator = new Validator(new Source(l1, queue), new Executor(engine), new ValidatorOptions(), NullLogger.Instance);
        var reports = new List<ValidationReport>();
        while (await validator.ValidateNextAsync(default) is { } report)
        {
            reports.Add(report);
        }
        Assert.Equal(l1.Committed.Count, reports.Count);
        Assert.All(reports, r => Assert.True(r.Agrees, string.Join("; ", r.Mismatches)));
        Assert.Equal(sequencer.Head.StateRoot, engine.Head.StateRoot);
        Assert.Equal(sequencer.GetBlock(sequencer.Head.BlockNumber)!.Receipts, engine.GetBlock(engine.Head.BlockNumber)!.Receipts);
    }

    [Fact]
    public async Task A_validator_behind_L1_says_how_far_it_has_caught_up_and_when_it_has()
    {
        await PostAll();
        var total = _l1.Committed.Count;
        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "validator"), Options(verify: true));
        using var logs = new CapturedLogs(Microsoft.Extensions.Logging.LogLevel.Information);
        var validator = new Validator(new Source(_l1, _queue), new Executor(engine), new ValidatorOptions { ProgressInterval = TimeSpan.Zero }, logs.CreateLogger("validator"));

        Assert.Equal(total, await validator.CatchUpAsync(default));
        var lines = logs.Entries.Select(e => e.Message).ToList();
        Assert.Equal($"validator catching up: L1 has {total} batches committed, this validator is at batch 0, {total} to check", lines[0]);
        // With no interval between reports, one after every batch but the last (which the caught-up line reports).
        var progress = lines.Where(l => l.Contains(" batches checked, block ", StringComparison.Ordinal)).ToList();
        Assert.Equal(total - 1, progress.Count);
        Assert.StartsWith($"validator catching up: 1 of {total} batches checked, block ", progress[0], StringComparison.Ordinal);
        Assert.StartsWith($"validator caught up: {total} batches checked in ", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith($"now at batch {total}, block {_sequencer.Head.BlockNumber}", lines[^1], StringComparison.Ordinal);

        // Keeping up (nothing or one batch behind) is not catching up: a round says nothing.
        var before = logs.Entries.Count;
        Assert.Equal(0, await validator.CatchUpAsync(default));
        Assert.Equal(before, logs.Entries.Count);
    }

    [Fact]
    public async Task A_batch_claiming_a_wrong_root_for_one_market_in_its_commitment_alone_is_said_naming_that_market_and_validation_goes_on()
    {
        await PostAll();
        var (commitment, frame) = _l1.Committed[1];
        var batch = BatchFrame.Decode(frame, BatchLimits.Default);
        var victim = batch.MarketRoots[1].Market;
        var forged = batch with
        {
            MarketRoots = [.. batch.MarketRoots.Select(r => r.Market == victim ? r with { Root = Keccak(r.Root) } : r)],
        };
        var parts = BatchParts.Split(BatchFrame.Encode(forged, CompressionCodecId.Zstd));
        var forgedCommitment = commitment with { BatchDataHash = BatchParts.DataHash(parts), MarketRootsRoot = Keccak(commitment.MarketRootsRoot), NewStateRoot = Keccak(commitment.NewStateRoot) };
        var source = new Source(_l1, _queue) { Replace = (1, new CommittedBatch(forgedCommitment, _l1.CommittedClaims[1], parts, 0)) };

        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "validator"), Options(verify: true));
        var validator = new Validator(source, new Executor(engine), new ValidatorOptions(), NullLogger.Instance);
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        var report = (await validator.ValidateNextAsync(default))!;
        // Its claims are the validator's (the market claim's end names the true root): no game decides the commitment's
        // market roots, so the validator says so, names the market, and goes on.
        Assert.True(report.Agrees, string.Join("; ", report.Mismatches));
        Assert.Equal([victim], report.FaultyMarkets);
        Assert.Contains(report.Undecided, m => m.StartsWith("state root", StringComparison.Ordinal));
        Assert.Contains(report.Undecided, m => m.StartsWith($"market {victim}: our root", StringComparison.Ordinal));
        Assert.Null(validator.Fault);
        Assert.Same(report, validator.LastUndecided);
        Assert.Equal(1, validator.BatchesUndecided);
        // And batch 2 is checked as ever.
        var next = (await validator.ValidateNextAsync(default))!;
        Assert.True(next.Agrees, string.Join("; ", next.Mismatches));
        Assert.Equal(3UL, validator.NextBatchIndex);
    }

    [Fact]
    public async Task A_commitment_whose_tx_root_is_not_the_tree_of_its_data_is_said_and_validation_goes_on()
    {
        await PostAll();
        var (commitment, frame) = _l1.Committed[1];
        var forged = commitment with { TxRoot = Keccak(commitment.TxRoot) };
        var report = await UndecidedWithBatch1As(forged, frame);
        var mismatch = Assert.Single(report.Undecided);
        Assert.Equal($"tx root: ours {commitment.TxRoot}, committed {forged.TxRoot}", mismatch);
        Assert.Empty(report.FaultyMarkets);
    }

    [Fact]
    public async Task A_commitment_whose_blocks_root_is_not_the_tree_of_its_blocks_headers_is_said_naming_the_field()
    {
        await PostAll();
        var (commitment, frame) = _l1.Committed[1];
        var forged = commitment with { BlocksRoot = Keccak(commitment.BlocksRoot) };
        var report = await UndecidedWithBatch1As(forged, frame);
        var mismatch = Assert.Single(report.Undecided);
        Assert.Equal($"blocks root: ours {commitment.BlocksRoot}, committed {forged.BlocksRoot}", mismatch);
        Assert.Empty(report.FaultyMarkets);
    }

    [Fact]
    public async Task A_blocks_root_over_headers_with_another_time_is_reported()
    {
        await PostAll();
        var (commitment, frame) = _l1.Committed[1];
        var decoded = BatchFrame.Decode(frame, BatchLimits.Default).Blocks;
        var shifted = decoded.Select((b, i) => i == 0 ? b with { Timestamp = b.Timestamp + 1 } : b).ToList();
        var forged = commitment with { BlocksRoot = BatchBlocksRoot.Compute(commitment.FirstSequence, shifted) };
        var report = await UndecidedWithBatch1As(forged, frame);
        Assert.Equal($"blocks root: ours {commitment.BlocksRoot}, committed {forged.BlocksRoot}", Assert.Single(report.Undecided));
    }

    [Fact]
    public async Task A_commitment_whose_claims_root_is_not_its_execution_s_is_reported_naming_the_accounts_domain()
    {
        await PostAll();
        var (commitment, frame) = _l1.Committed[1];
        var claims = _l1.CommittedClaims[1];
        var ours = claims.Single(c => c.Domain == DomainId.Accounts).Claim;
        var otherEnd = Primitives.Hashing.Keccak256.Compute("an accounts end not the execution's"u8);
        var lie = ours with { End = otherEnd };
        (DomainId, DomainClaim)[] posted = [.. claims.Select(c => c.Domain == DomainId.Accounts ? (c.Domain, lie) : c)];
        var forged = commitment with { ClaimsRoot = BatchClaimsRoot.Compute(posted) };
        var report = await ValidateWithBatch1As(forged, frame, posted);
        Assert.False(report.Agrees);
        Assert.Equal(
            $"the accounts domain's claim: posted from {ours.Start} to {otherEnd} in {ours.Steps} steps, ours from {ours.Start} to {ours.End} in {ours.Steps} steps",
            Assert.Single(report.Mismatches));
        Assert.Equal(new ClaimDisagreement(DomainId.Accounts, lie, ours), Assert.Single(report.DisputedClaims));
        Assert.Empty(report.FaultyMarkets);
    }

    /// <summary>A claim of the true state in another count of steps changes nothing: said, and the validator goes on.</summary>
    [Fact]
    public async Task A_claim_whose_step_count_alone_is_not_ours_is_tolerated()
    {
        await PostAll();
        var (commitment, frame) = _l1.Committed[1];
        var claims = _l1.CommittedClaims[1];
        var ours = claims.Single(c => c.Domain == DomainId.Accounts).Claim;
        (DomainId, DomainClaim)[] posted = [.. claims.Select(c => c.Domain == DomainId.Accounts ? (c.Domain, ours with { Steps = ours.Steps + 1 }) : c)];
        var source = new Source(_l1, _queue) { Replace = (1, new CommittedBatch(commitment with { ClaimsRoot = BatchClaimsRoot.Compute(posted) }, posted, BatchParts.Split(frame), 0)) };
        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "validator"), Options(verify: true));
        var validator = new Validator(source, new Executor(engine), new ValidatorOptions(), NullLogger.Instance);
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        var report = (await validator.ValidateNextAsync(default))!;
        Assert.True(report.Agrees);
        Assert.Null(validator.Fault);
        Assert.Equal(2UL, validator.NextBatchIndex);
        Assert.Empty(report.DisputedClaims);
        Assert.Equal(
            $"the accounts domain's claim: posted from {ours.Start} to {ours.End} in {ours.Steps + 1} steps, ours from {ours.Start} to {ours.End} in {ours.Steps} steps: only its step count differs, its end is ours",
            Assert.Single(report.Tolerated));
    }

    /// <summary>A sequencer that does not chain its claims: batch 1's accounts claim over its own blocks, but from the genesis state.</summary>
    [Fact]
    public async Task An_accounts_claim_that_does_not_start_where_the_previous_batch_ended_is_reported()
    {
        await PostAll();
        var (commitment, frame) = _l1.Committed[1];
        var records = Enumerable.Range((int)commitment.FirstBlock, (int)(commitment.LastBlock - commitment.FirstBlock + 1)).Select(n => _sequencer.GetBlock((ulong)n)!).ToList();
        var fromGenesis = BatchClaims.Of(new AccountsDomainState(Hash256.Zero, [], 0, 0, 0), null, commitment.FirstSequence, records);
        var forged = commitment with { ClaimsRoot = BatchClaimsRoot.Compute(fromGenesis) };
        Assert.NotEqual(commitment.ClaimsRoot, forged.ClaimsRoot);
        var report = await ValidateWithBatch1As(forged, frame, fromGenesis);
        Assert.StartsWith($"the accounts domain's claim: posted from {fromGenesis[0].Claim.Start} to ", Assert.Single(report.Mismatches), StringComparison.Ordinal);
    }

    /// <summary>
    /// After a fault on batch 1's claim the validator has executed batch 1's blocks; restarted with the honest batch 1 it
    /// takes the claim's start from before them (rewound from its head), not from its head, and agrees.
    /// </summary>
    [Fact]
    public async Task A_validator_restarted_past_a_batchs_blocks_claims_it_from_the_batchs_start()
    {
        await PostAll();
        var progress = Path.Combine(_directory.Path, "validator-progress");
        var enginePath = Path.Combine(_directory.Path, "validator");
        var (commitment, frame) = _l1.Committed[1];
        // The accounts domain's claim posted with another end (and the root of the claims as posted, as L1 requires).
        var trueClaims = _l1.CommittedClaims[1];
        var trueAccounts = trueClaims.Single(c => c.Domain == DomainId.Accounts).Claim;
        var lie = trueAccounts with { End = Keccak(trueAccounts.End) };
        (DomainId, DomainClaim)[] forgedClaims = [.. trueClaims.Select(c => c.Domain == DomainId.Accounts ? (c.Domain, lie) : c)];
        var forged = new Source(_l1, _queue)
        {
            Replace = (1, new CommittedBatch(commitment with { ClaimsRoot = BatchClaimsRoot.Compute(forgedClaims) }, forgedClaims, BatchParts.Split(frame), 0)),
        };
        using (var engine = ExecutionEngine.Open(enginePath, Options(verify: true)))
        {
            var validator = new Validator(forged, new Executor(engine), new ValidatorOptions { ProgressFile = progress }, NullLogger.Instance);
            Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
            var report = (await validator.ValidateNextAsync(default))!;
            Assert.False(report.Agrees);
            // The disputed domain is named with the claim as posted and the validator's own: what a challenger plays.
            var disputed = Assert.Single(report.DisputedClaims);
            Assert.Equal(new ClaimDisagreement(DomainId.Accounts, lie, trueAccounts), disputed);
            Assert.Equal(commitment.LastBlock, engine.Head.BlockNumber);
        }
        using (var engine = ExecutionEngine.Open(enginePath, Options(verify: true)))
        {
            var validator = new Validator(new Source(_l1, _queue), new Executor(engine), new ValidatorOptions { ProgressFile = progress }, NullLogger.Instance);
            Assert.Equal(1UL, validator.NextBatchIndex);
            while (await validator.ValidateNextAsync(default) is { } report)
            {
                Assert.True(report.Agrees, string.Join("; ", report.Mismatches));
            }
            Assert.Equal((ulong)_l1.Committed.Count, validator.NextBatchIndex);
        }
    }

    [Theory]
    [InlineData(1, 0, "tx count")]
    [InlineData(0, 1, "first sequence")]
    public async Task A_commitment_miscounting_or_misnumbering_its_transactions_is_said_naming_the_field(int extraCount, int shift, string field)
    {
        await PostAll();
        var (commitment, frame) = _l1.Committed[1];
        var forged = commitment with { TxCount = commitment.TxCount + (ulong)extraCount, FirstSequence = commitment.FirstSequence + (ulong)shift };
        var report = await UndecidedWithBatch1As(forged, frame);
        Assert.Contains(report.Undecided, m => m.StartsWith(field + ": ours", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Undecided, m => m.StartsWith("state root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_crediting_a_deposit_L1_did_not_queue_is_reported()
    {
        await PostAll();
        var first = _queue.Keys.Min();
        _queue[first] = (_queue[first].Item1, _queue[first].Item2 + 1);
        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "validator"), Options(verify: true));
        var validator = new Validator(new Source(_l1, _queue), new Executor(engine), new ValidatorOptions(), NullLogger.Instance);
        var report = await validator.ValidateNextAsync(default);
        Assert.False(report!.Agrees);
        Assert.Contains(report.Mismatches, m => m.Contains($"deposit {first}", StringComparison.Ordinal));
        Assert.Equal(0UL, engine.Head.BlockNumber); // nothing executed from a batch found wrong before execution
    }

    [Fact]
    public async Task A_restarted_validator_goes_on_from_the_batch_it_had_reached()
    {
        await PostAll();
        var progress = Path.Combine(_directory.Path, "validator-progress");
        var enginePath = Path.Combine(_directory.Path, "validator");
        using (var engine = ExecutionEngine.Open(enginePath, Options(verify: true)))
        {
            var validator = new Validator(new Source(_l1, _queue), new Executor(engine), new ValidatorOptions { ProgressFile = progress }, NullLogger.Instance);
            Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        }
        using (var engine = ExecutionEngine.Open(enginePath, Options(verify: true)))
        {
            var validator = new Validator(new Source(_l1, _queue), new Executor(engine), new ValidatorOptions { ProgressFile = progress }, NullLogger.Instance);
            Assert.Equal(1UL, validator.NextBatchIndex);
            while (await validator.ValidateNextAsync(default) is { } report)
            {
                Assert.True(report.Agrees, string.Join("; ", report.Mismatches));
            }
            Assert.Equal(_sequencer.Head.StateRoot, engine.Head.StateRoot);
        }
    }

    /// <summary>
    /// Validates batches 0 and 1 with batch 1's commitment replaced in fields no game decides (its data and claims
    /// unchanged); returns batch 1's report, which agrees and says what differs.
    /// </summary>
    private async Task<ValidationReport> UndecidedWithBatch1As(BatchCommitment commitment, byte[] frame)
    {
        var source = new Source(_l1, _queue) { Replace = (1, new CommittedBatch(commitment, _l1.CommittedClaims[1], BatchParts.Split(frame), 0)) };
        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "validator"), Options(verify: true));
        using var logs = new CapturedLogs(Microsoft.Extensions.Logging.LogLevel.Critical);
        var validator = new Validator(source, new Executor(engine), new ValidatorOptions(), logs.CreateLogger("validator"));
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        var report = (await validator.ValidateNextAsync(default))!;
        Assert.True(report.Agrees, string.Join("; ", report.Mismatches));
        Assert.Null(validator.Fault);
        Assert.Equal(2UL, validator.NextBatchIndex);
        Assert.Same(report, validator.LastUndecided);
        var said = Assert.Single(logs.Entries).Message;
        Assert.StartsWith("batch 1's COMMITMENT DISAGREES with this validator in fields no game decides: ", said, StringComparison.Ordinal);
        Assert.Contains(report.Undecided[0], said, StringComparison.Ordinal);
        return report;
    }

    /// <summary>Validates batches 0 and 1 with batch 1's commitment replaced (its data unchanged); returns batch 1's report.</summary>
    private async Task<ValidationReport> ValidateWithBatch1As(BatchCommitment commitment, byte[] frame, IReadOnlyList<(DomainId Domain, DomainClaim Claim)>? claims = null)
    {
        var source = new Source(_l1, _queue) { Replace = (1, new CommittedBatch(commitment, claims ?? _l1.CommittedClaims[1], BatchParts.Split(frame), 0)) };
        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "validator"), Options(verify: true));
        var validator = new Validator(source, new Executor(engine), new ValidatorOptions(), NullLogger.Instance);
        Assert.True((await validator.ValidateNextAsync(default))!.Agrees);
        var report = (await validator.ValidateNextAsync(default))!;
        Assert.Same(report, validator.Fault);
        return report;
    }

    private async Task PostAll()
    {
        var poster = new BatchPoster(_l1, new Blocks(_sequencer), new BatchPosterOptions { MaxBlocksPerBatch = 3, Codec = CompressionCodecId.Zstd }, NullLogger.Instance);
        while (await poster.PostNextAsync(default) is not null)
        {
        }
        Assert.True(_l1.Committed.Count >= 3);
    }

    private static Hash256 Keccak(in Hash256 value) => Primitives.Hashing.Keccak256.Compute(value.Bytes);

    private sealed class Source(FakeSettlement l1, Dictionary<ulong, (Address, ulong)> queue) : IBatchSource
    {
        public (ulong Index, CommittedBatch Batch)? Replace { get; init; }

        public Task<CommittedBatch?> GetCommittedBatchAsync(ulong batchIndex, CancellationToken cancellation)
        {
            if (Replace is { } replace && replace.Index == batchIndex)
            {
                return Task.FromResult<CommittedBatch?>(replace.Batch);
            }
            if (batchIndex >= (ulong)l1.Committed.Count)
            {
                return Task.FromResult<CommittedBatch?>(null);
            }
            var (commitment, frame) = l1.Committed[(int)batchIndex];
            return Task.FromResult<CommittedBatch?>(new CommittedBatch(commitment, l1.CommittedClaims[(int)batchIndex], BatchParts.Split(frame), 0));
        }

        public Task<ulong> GetCommittedBatchCountAsync(CancellationToken cancellation) => Task.FromResult((ulong)l1.Committed.Count);

        public Task<(Address L2Account, ulong Amount)?> GetQueuedDepositAsync(ulong index, CancellationToken cancellation) =>
            Task.FromResult(queue.TryGetValue(index, out var entry) ? entry : ((Address, ulong)?)null);
    }

    private sealed class Blocks(ExecutionEngine engine) : IBlockSource
    {
        public ulong HeadBlock => engine.Head.BlockNumber;

        public BlockRecord? GetBlock(ulong number) => engine.GetBlock(number);

        public AccountsDomainState AccountsDomainStateAfter(ulong number) => engine.AccountsDomainStateAfter(number);
    }

    private sealed class Executor(ExecutionEngine engine) : IBlockExecutor
    {
        public ChainHead Head => engine.Head;

        public BlockResult Execute(Block block) => engine.Execute(block);

        public BlockRecord? GetBlock(ulong number) => engine.GetBlock(number);

        public AccountsDomainState AccountsDomainStateAfter(ulong number) => engine.AccountsDomainStateAfter(number);
    }
}
