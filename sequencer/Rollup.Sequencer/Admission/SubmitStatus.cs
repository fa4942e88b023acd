namespace Rollup.Sequencer.Admission;

/// <summary>What admission decided. Everything but <see cref="Accepted"/> leaves no trace in the log.</summary>
public enum SubmitStatus : byte
{
    /// <summary>Durable in the log under its sequence number; it will be executed in that order.</summary>
    Accepted = 0,
    /// <summary>The transaction is malformed or of a kind clients cannot submit (deposits come from L1).</summary>
    Invalid = 1,
    /// <summary>Its signer is not its account (or the signature is malformed or malleable).</summary>
    BadSignature = 2,
    /// <summary>This nonce was already used by this account.</summary>
    Replayed = 3,
    /// <summary>The nonce is below the account's window.</summary>
    NonceTooOld = 4,
    /// <summary>The nonce jumps too far ahead.</summary>
    NonceTooFar = 5,
    /// <summary>The account has too many transactions waiting for a block.</summary>
    TooManyPending = 6,
    /// <summary>The sequencer is not accepting transactions (stopping, or its log failed).</summary>
    Unavailable = 7,
}
