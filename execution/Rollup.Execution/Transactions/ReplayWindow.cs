using System.Buffers.Binary;
using System.Globalization;

namespace Rollup.Execution.Transactions;

/// <summary>Why a nonce was refused. Machine-readable: receipts carry it; wire values, never renumber.</summary>
public enum ReplayError : byte
{
    None = 0,
    /// <summary>The nonce is inside the window and was used already.</summary>
    Replayed = 1,
    /// <summary>The nonce is at or below the highest used minus <see cref="ReplayWindow.Size"/>: too old to tell.</summary>
    TooOld = 2,
    /// <summary>The nonce is more than <see cref="ReplayWindow.MaxForwardJump"/> above the highest used.</summary>
    TooFarAhead = 3,
}

/// <summary>
/// A signer's replay protection (docs/transactions.md, "Nonces"): the highest nonce used, H, and which of the 64
/// nonces H−63..H were used. Nonce n is accepted once, if n &gt; H (the window slides up to n) or n is inside the
/// window and unused; so a client may have up to 64 transactions in flight and have them land in any order.
/// </summary>
/// <remarks>
/// 16 bytes. Bit i of the bitmap is nonce H−i; bit 0 (H itself) is set once any nonce is used, so an all-zero
/// bitmap means "nothing used yet" and nonce 0 needs no special case. A mutable struct: keep it in a field or an
/// array element and call <see cref="TryConsume"/> on that, not on a copy.
/// </remarks>
public struct ReplayWindow : IEquatable<ReplayWindow>
{
    /// <summary>How many nonces, ending at the highest used, the window remembers.</summary>
    public const int Size = 64;

    /// <summary>The furthest a nonce may lie above the highest used (for a fresh signer, above −1).</summary>
    public const ulong MaxForwardJump = 1UL << 32;

    public const int EncodedLength = 16;

    private ulong _highest;
    private ulong _used;

    /// <summary>No nonce used yet.</summary>
    public readonly bool IsFresh => _used == 0;

    /// <summary>The highest nonce used, or null if none was.</summary>
    public readonly ulong? Highest => IsFresh ? null : _highest;

    /// <summary>Bit i set: nonce <see cref="Highest"/> − i was used.</summary>
    public readonly ulong UsedBits => _used;

    /// <summary>Whether <paramref name="nonce"/> would be accepted now, and if not, why. Changes nothing.</summary>
    public readonly ReplayError Check(ulong nonce)
    {
        if (_used == 0)
        {
            return nonce < MaxForwardJump ? ReplayError.None : ReplayError.TooFarAhead;
        }
        if (nonce > _highest)
        {
            return nonce - _highest <= MaxForwardJump ? ReplayError.None : ReplayError.TooFarAhead;
        }
        var age = _highest - nonce;
        if (age >= Size)
        {
            return ReplayError.TooOld;
        }
        return ((_used >> (int)age) & 1) != 0 ? ReplayError.Replayed : ReplayError.None;
    }

    /// <summary>Uses <paramref name="nonce"/> if <see cref="Check"/> accepts it; otherwise changes nothing.</summary>
    public bool TryConsume(ulong nonce, out ReplayError error)
    {
        error = Check(nonce);
        if (error != ReplayError.None)
        {
            return false;
        }
        if (_used == 0)
        {
            _highest = nonce;
            _used = 1;
        }
        else if (nonce > _highest)
        {
            var shift = nonce - _highest;
            _used = shift >= Size ? 1 : (_used << (int)shift) | 1;
            _highest = nonce;
        }
        else
        {
            _used |= 1UL << (int)(_highest - nonce);
        }
        return true;
    }

    /// <summary>Writes the 16-byte storage form: H (big-endian u64), then the bitmap (big-endian u64). Fresh is all zero.</summary>
    public readonly void Encode(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException($"a replay window is {EncodedLength} bytes, the destination has {destination.Length}", nameof(destination));
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, _highest);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _used);
    }

    /// <summary>
    /// Reads the storage form. Refuses (without throwing) anything but 16 bytes, and any state
    /// <see cref="TryConsume"/> cannot reach: nothing used but H ≠ 0, H's own bit clear, bits for nonces below 0.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, out ReplayWindow window)
    {
        window = default;
        if (source.Length != EncodedLength)
        {
            return false;
        }
        var highest = BinaryPrimitives.ReadUInt64BigEndian(source);
        var used = BinaryPrimitives.ReadUInt64BigEndian(source[8..]);
        var reachable = used == 0
            ? highest == 0
            : (used & 1) == 1 && (highest >= Size - 1 || used >> (int)(highest + 1) == 0);
        if (!reachable)
        {
            return false;
        }
        window._highest = highest;
        window._used = used;
        return true;
    }

    public readonly bool Equals(ReplayWindow other) => _highest == other._highest && _used == other._used;

    public override readonly bool Equals(object? obj) => obj is ReplayWindow other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(_highest, _used);

    public static bool operator ==(ReplayWindow left, ReplayWindow right) => left.Equals(right);

    public static bool operator !=(ReplayWindow left, ReplayWindow right) => !left.Equals(right);

    public override readonly string ToString() =>
        IsFresh ? "ReplayWindow(fresh)" : string.Create(CultureInfo.InvariantCulture, $"ReplayWindow(H={_highest}, used=0x{_used:x16})");
}
