using Rollup.Execution.Steps;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Posting;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.Posting;

/// <summary>The contract's batch rules (docs/contract.md) in memory, with an outage switch for fault tests.</summary>
internal sealed class FakeSettlement : IBatchSink
{
    private readonly List<byte[]> _pendingParts = [];

    public List<(BatchCommitment Commitment, byte[] Frame)> Committed { get; } = [];

    /// <summary>The claims each committed batch was sent with, by batch index.</summary>
    public List<IReadOnlyList<(DomainId Domain, DomainClaim Claim)>> CommittedClaims { get; } = [];

    public ulong NextL2Block { get; private set; } = 1;

    public ulong NextSequence { get; private set; }

    public Hash256 LastStateRoot { get; private set; } = BatchPoster.GenesisStateRoot;

    public Hash256 Accumulator { get; private set; }

    /// <summary>Calls (of any kind) left before L1 "goes down": the call after them throws, once.</summary>
    public int? FailAfterCalls { get; set; }

    public int Discards { get; private set; }

    /// <summary>Forced inclusion in small: a commitment must consume at least this many deposits.</summary>
    public ulong RequiredDepositCursor { get; set; }

    public Task<SettlementStatus> GetStatusAsync(CancellationToken cancellation) =>
        Task.FromResult(new SettlementStatus((ulong)Committed.Count, NextL2Block, NextSequence, LastStateRoot, (uint)_pendingParts.Count, Accumulator, false));

    public Task PostPartAsync(ulong batchIndex, uint part, ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        Outage();
        if (batchIndex != (ulong)Committed.Count || part != (uint)_pendingParts.Count)
        {
            throw new L1RevertedException($"BadPart({batchIndex},{part})");
        }
        _pendingParts.Add(data.ToArray());
        Accumulator = BatchParts.Accumulate(Accumulator, data.Span);
        return Task.CompletedTask;
    }

    public Task DiscardPendingAsync(CancellationToken cancellation)
    {
        Outage();
        _pendingParts.Clear();
        Accumulator = Hash256.Zero;
        Discards++;
        return Task.CompletedTask;
    }

    public Task CommitAsync(BatchCommitment commitment, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims, CancellationToken cancellation)
    {
        Outage();
        if (commitment.BatchIndex != (ulong)Committed.Count || commitment.FirstBlock != NextL2Block || commitment.LastBlock < commitment.FirstBlock
            || commitment.PrevStateRoot != LastStateRoot || _pendingParts.Count == 0 || commitment.BatchDataHash != Accumulator
            || commitment.FirstSequence != NextSequence || commitment.TxRoot.IsZero != (commitment.TxCount == 0) || commitment.BlocksRoot.IsZero
            || BatchClaimsRoot.Compute(claims) != commitment.ClaimsRoot)
        {
            throw new L1RevertedException("BadCommitment");
        }
        if (commitment.DepositCursor < RequiredDepositCursor)
        {
            throw new L1RevertedException($"OverdueDeposit({commitment.DepositCursor})");
        }
        Committed.Add((commitment, BatchParts.Join([.. _pendingParts.Select(p => (ReadOnlyMemory<byte>)p)], BatchLimits.Default)));
        CommittedClaims.Add(claims);
        NextL2Block = commitment.LastBlock + 1;
        NextSequence += commitment.TxCount;
        LastStateRoot = commitment.NewStateRoot;
        _pendingParts.Clear();
        Accumulator = Hash256.Zero;
        return Task.CompletedTask;
    }

    /// <summary>Posts parts of someone else's bytes, as a poster that crashed with another batch in mind would have.</summary>
    public void PostForeignPart(byte[] data)
    {
        _pendingParts.Add(data);
        Accumulator = BatchParts.Accumulate(Accumulator, data);
    }

    private void Outage()
    {
        if (FailAfterCalls is { } left)
        {
            if (left == 0)
            {
                FailAfterCalls = null;
                throw new HttpRequestException("connection refused (simulated L1 outage)");
            }
            FailAfterCalls = left - 1;
        }
    }
}
