using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rollup.Execution.Acks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Sequencer.Log;

namespace Rollup.Sequencer;

/// <summary>
/// Admission in three stages per batch of submissions:
/// <list type="number">
/// <item>stateless checks, signature recovery, canonical encoding and hash: independent per transaction, spread over the
/// <see cref="AdmissionWorkers"/> (a thread per core, at a lower priority);</item>
/// <item>in order, under one lock: pending limit and nonce window per account, then one append of the whole run to the
/// group-commit log (so the order windows are consumed in is the order of the log, and execution decides the same);</item>
/// <item>once the log has numbered the run (before its sync) the <see cref="AckSigner"/> puts its acks into signed trees
/// together with every other run numbered meanwhile, overlapping the sync; they are released only when the run is durable.</item>
/// </list>
/// A batch costs one log request, one signing request and one hand-off to the thread pool instead of one per
/// transaction; a batch of one is a plain <see cref="SubmitAsync"/>.
/// </summary>
public sealed partial class Sequencer
{
    /// <summary>Admits one signed transaction. Completes once it is durable (accepted) or refused.</summary>
    public async Task<SubmitResult> SubmitAsync(Transaction tx)
    {
        var results = await SubmitManyAsync([tx]).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>
    /// Admits signed transactions as if each were submitted right after the one before it: the accepted ones are
    /// logged in this order with consecutive sequence numbers. Completes once every accepted one is durable; the
    /// results are in the order given. Recovery uses every core; acks share signatures (<see cref="AckTree"/>).
    /// </summary>
    public async Task<SubmitResult[]> SubmitManyAsync(IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var started = Stopwatch.GetTimestamp();
        var batch = new AdmissionBatch(transactions);
        if (batch.Count > 0)
        {
            // The ticket is taken before the first await: batches reach the nonce windows and the log in the order
            // their callers submitted them (a stream's batches in stream order), whichever finished its recovery first.
            var ticket = _turns.TakeTicket();
            var checks = _workers.ForAsync(batch.Count, (this, batch), static (s, from, to) => s.Item1.Check(s.Item2, from, to));
            await checks.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _turns.WaitAsync(ticket).ConfigureAwait(false);
            AppendedRun? appended;
            try
            {
                // A batch whose checks failed (a bug, not bad input) is not ordered; its turn passes all the same.
                appended = checks.IsCompletedSuccessfully ? Order(batch) : null;
            }
            finally
            {
                _turns.Leave();
            }
            await checks.ConfigureAwait(false);
            if (appended is { } run)
            {
                try
                {
                    // Runs on the log writer's thread as it numbers the group (it only queues the signing), so the
                    // signing overlaps the sync; the signing is usually done before the sync, so awaiting it after
                    // the sync costs no further thread hop.
                    var first = await run.Numbered.ConfigureAwait(false);
                    var count = batch.AcceptedCount;
                    var signed = _acks.SignAsync(first, batch.RunHashes, count, batch.AckTrees, batch.AckLeaves);
                    await run.Durable.ConfigureAwait(false);
                    await signed.ConfigureAwait(false);
                    for (var k = 0; k < count; k++)
                    {
                        batch.Results[batch.Accepted[k]] = new SubmitResult(SubmitStatus.Accepted, null, first + (ulong)k, batch.RunHashes[k], batch.AckTrees[k], batch.AckLeaves[k]);
                    }
                    Metrics.AckLatency.Record(Stopwatch.GetElapsedTime(started), count);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogAppendFailed(error);
                    for (var k = 0; k < batch.AcceptedCount; k++)
                    {
                        batch.Results[batch.Accepted[k]] = SubmitResult.Rejected(SubmitStatus.Unavailable, "the transaction log failed; nothing was acknowledged");
                    }
                }
            }
        }
        foreach (var result in batch.Results)
        {
            Metrics.Admitted(result.Status);
        }
        return batch.Results;
    }

    /// <summary>Stage 1 for [from, to): what needs no state. A refusal is written to the result; a pass leaves the encoding.</summary>
    private void Check(AdmissionBatch batch, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            ref var tx = ref batch.Transactions[i];
            if (!tx.Kind.IsSigned())
            {
                batch.Results[i] = SubmitResult.Rejected(SubmitStatus.Invalid, $"clients cannot submit {tx.Kind} transactions");
                continue;
            }
            var invalid = TransactionCodec.Validate(tx);
            if (invalid != TxDecodeError.None)
            {
                batch.Results[i] = SubmitResult.Rejected(SubmitStatus.Invalid, TransactionCodec.Describe(invalid));
                continue;
            }
            if (tx.Kind == TxKind.Bulk && tx.Items!.Count > _options.MaxBulkItems)
            {
                batch.Results[i] = SubmitResult.Rejected(SubmitStatus.Invalid, $"a bulk of {tx.Items.Count} items: this sequencer admits at most {_options.MaxBulkItems} (Node:MaxBulkItems)");
                continue;
            }
            var signature = TransactionSigning.TryRecoverSigner(tx, _engine.Domain, out var signer);
            if (signature != SignatureError.None)
            {
                batch.Results[i] = SubmitResult.Rejected(SubmitStatus.BadSignature, Secp256k1.Describe(signature));
                continue;
            }
            if (signer != tx.Account)
            {
                batch.Results[i] = SubmitResult.Rejected(SubmitStatus.BadSignature, $"signed by {signer}, not by the account {tx.Account}");
                continue;
            }
            tx = Canonical(tx);
            var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
            TransactionCodec.Encode(tx, encoded);
            batch.Encoded[i] = encoded;
            batch.Hashes[i] = TransactionHash.Of(encoded);
            batch.Accounts[i] = Admission(tx.Account);
        }
    }

    /// <summary>
    /// Stage 2: in the batch's order, under the admission lock, the per-account limits and nonce windows; the
    /// accepted run is appended to the log before the lock is let go. Null when nothing was accepted.
    /// </summary>
    private AppendedRun? Order(AdmissionBatch batch)
    {
        lock (_admitLock)
        {
            if (Faults.First is { } fault)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch.Encoded[i] is not null)
                    {
                        batch.Results[i] = SubmitResult.Rejected(SubmitStatus.Unavailable, $"the sequencer is not admitting: {fault}");
                    }
                }
                return null;
            }
            var count = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch.Encoded[i] is not { } encoded)
                {
                    continue;
                }
                var tx = batch.Transactions[i];
                var account = batch.Accounts[i]!;
                lock (account.Gate)
                {
                    if (account.Pending >= _options.MaxPendingPerAccount)
                    {
                        batch.Results[i] = SubmitResult.Rejected(SubmitStatus.TooManyPending, $"{account.Pending} transactions of this account are waiting for a block (limit {_options.MaxPendingPerAccount})");
                        continue;
                    }
                    var window = account.Window;
                    if (!window.TryConsume(tx.Nonce, out var replay))
                    {
                        batch.Results[i] = replay switch
                        {
                            ReplayError.Replayed => SubmitResult.Rejected(SubmitStatus.Replayed, $"nonce {tx.Nonce} was already used"),
                            ReplayError.TooOld => SubmitResult.Rejected(SubmitStatus.NonceTooOld, $"nonce {tx.Nonce} is below the account's window"),
                            _ => SubmitResult.Rejected(SubmitStatus.NonceTooFar, $"nonce {tx.Nonce} jumps too far ahead"),
                        };
                        continue;
                    }
                    batch.PriorWindows[i] = account.Window;
                    account.Window = window;
                    account.Pending++;
                }
                batch.RunEncoded[count] = encoded;
                batch.RunHashes[count] = batch.Hashes[i];
                batch.RunTransactions[count] = tx;
                batch.Accepted[count++] = i;
            }
            if (count == 0)
            {
                return null;
            }
            try
            {
                var run = _writer.AppendMany(batch.RunEncoded, batch.RunTransactions, count);
                batch.AcceptedCount = count;
                return run;
            }
            catch (InvalidOperationException error)
            {
                // Nothing was logged: give the windows back, newest first, so each account ends where it began.
                for (var k = count - 1; k >= 0; k--)
                {
                    var i = batch.Accepted[k];
                    var account = batch.Accounts[i]!;
                    lock (account.Gate)
                    {
                        account.Window = batch.PriorWindows[i];
                        account.Pending--;
                    }
                    batch.Results[i] = SubmitResult.Rejected(SubmitStatus.Unavailable, error.Message);
                }
                return null;
            }
        }
    }

    /// <summary>v as 0/1: one signed transaction has one encoding, so one hash.</summary>
    private static Transaction Canonical(in Transaction tx)
    {
        var bytes = tx.Signature.Bytes;
        if (bytes[64] < 27)
        {
            return tx;
        }
        Span<byte> normalized = stackalloc byte[Signature.Length];
        bytes.CopyTo(normalized);
        normalized[64] -= 27;
        return tx with { Signature = new Signature(normalized) };
    }

    private AccountAdmission Admission(in Primitives.Address account)
    {
        if (_accounts.TryGetValue(account, out var admission))
        {
            return admission;
        }
        // Not seen since start: nothing of it is pending (recovery executed the log before admission opened, and every
        // later transaction of it came through here), so the last committed block's window is current; read from the
        // committed view, the lookup does not wait for a block being executed.
        var address = account;
        var window = _chain.ReadCommitted(view => view.TryGetAccount(address, out var account) ? account.Nonces : default);
        return _accounts.GetOrAdd(account, _ => new AccountAdmission(window));
    }

    /// <summary>Admission's view of an account (its nonce window with admitted transactions, and how many wait), for tests.</summary>
    internal (ReplayWindow Window, int Pending)? AdmissionOf(in Primitives.Address account)
    {
        if (!_accounts.TryGetValue(account, out var admission))
        {
            return null;
        }
        lock (admission.Gate)
        {
            return (admission.Window, admission.Pending);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "the transaction log failed; the sequencer stops accepting transactions")]
    private partial void LogAppendFailed(Exception error);

    /// <summary>One batch's working arrays, indexed by position in the batch (Run* and Accepted by position in the accepted run).</summary>
    private sealed class AdmissionBatch
    {
        public AdmissionBatch(IReadOnlyList<Transaction> transactions)
        {
            Count = transactions.Count;
            Transactions = new Transaction[Count];
            for (var i = 0; i < Count; i++)
            {
                Transactions[i] = transactions[i];
            }
            Results = new SubmitResult[Count];
            Encoded = new byte[Count][];
            Hashes = new Hash256[Count];
            Accounts = new AccountAdmission[Count];
            PriorWindows = new ReplayWindow[Count];
            RunEncoded = new byte[Count][];
            RunHashes = new Hash256[Count];
            AckTrees = new AckTree[Count];
            AckLeaves = new int[Count];
            RunTransactions = new Transaction[Count];
            Accepted = new int[Count];
        }

        public int Count { get; }

        public Transaction[] Transactions { get; }

        public SubmitResult[] Results { get; }

        /// <summary>The canonical encoding of each transaction that passed stage 1 (null: refused).</summary>
        public byte[]?[] Encoded { get; }

        /// <summary>keccak256 of each encoding: the transaction hash.</summary>
        public Hash256[] Hashes { get; }

        public AccountAdmission?[] Accounts { get; }

        public ReplayWindow[] PriorWindows { get; }

        public byte[][] RunEncoded { get; }

        public Transaction[] RunTransactions { get; }

        public Hash256[] RunHashes { get; }

        public AckTree[] AckTrees { get; }

        public int[] AckLeaves { get; }

        /// <summary>For each transaction of the logged run, its position in the batch.</summary>
        public int[] Accepted { get; }

        public int AcceptedCount { get; set; }
    }
}
