using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rollup.Primitives.Hashing;

/// <summary>
/// Keccak-256 as Ethereum uses it: rate 136 bytes, the original Keccak padding (0x01 ... 0x80),
/// not the SHA3-256 padding of FIPS 202 (which is what .NET's SHA3_256 computes).
/// </summary>
public struct Keccak256
{
    public const int HashLength = 32;
    public const int RateBytes = 136;

    private LaneBuffer _state;
    private BlockBuffer _pending;
    private int _pendingLength;

    /// <summary>Hashes <paramref name="data"/> in one call, with no allocation.</summary>
    public static Hash256 Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> output = stackalloc byte[HashLength];
        Compute(data, output);
        return new Hash256(output);
    }

    /// <summary>Hashes <paramref name="data"/> into the first 32 bytes of <paramref name="output"/>.</summary>
    [SkipLocalsInit]
    public static void Compute(ReadOnlySpan<byte> data, Span<byte> output)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        while (data.Length >= RateBytes)
        {
            KeccakPermutation.AbsorbAndPermute(state, data[..RateBytes]);
            data = data[RateBytes..];
        }
        Span<byte> last = stackalloc byte[RateBytes];
        PadFinalBlock(data, last);
        KeccakPermutation.AbsorbAndPermute(state, last);
        Squeeze(state, output);
    }

    /// <summary>Feeds more input into an incremental hash.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        Span<ulong> state = _state;
        Span<byte> pending = _pending;
        if (_pendingLength > 0)
        {
            var take = Math.Min(RateBytes - _pendingLength, data.Length);
            data[..take].CopyTo(pending[_pendingLength..]);
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < RateBytes)
            {
                return;
            }
            KeccakPermutation.AbsorbAndPermute(state, pending);
            _pendingLength = 0;
        }
        while (data.Length >= RateBytes)
        {
            KeccakPermutation.AbsorbAndPermute(state, data[..RateBytes]);
            data = data[RateBytes..];
        }
        data.CopyTo(pending);
        _pendingLength = data.Length;
    }

    /// <summary>Ends an incremental hash. The instance must not be used afterwards without <see cref="Reset"/>.</summary>
    public Hash256 Finish()
    {
        Span<byte> output = stackalloc byte[HashLength];
        Finish(output);
        return new Hash256(output);
    }

    public void Finish(Span<byte> output)
    {
        Span<ulong> state = _state;
        Span<byte> last = stackalloc byte[RateBytes];
        PadFinalBlock(((ReadOnlySpan<byte>)_pending)[.._pendingLength], last);
        KeccakPermutation.AbsorbAndPermute(state, last);
        Squeeze(state, output);
    }

    public void Reset()
    {
        ((Span<ulong>)_state).Clear();
        _pendingLength = 0;
    }

    private static void PadFinalBlock(ReadOnlySpan<byte> tail, Span<byte> block)
    {
        block.Clear();
        tail.CopyTo(block);
        block[tail.Length] ^= 0x01;
        block[RateBytes - 1] ^= 0x80;
    }

    private static void Squeeze(ReadOnlySpan<ulong> state, Span<byte> output)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(state[..4]).CopyTo(output);
            return;
        }
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(i * 8, 8), state[i]);
        }
    }

    [InlineArray(25)]
    private struct LaneBuffer
    {
        private ulong _lane;
    }

    [InlineArray(RateBytes)]
    private struct BlockBuffer
    {
        private byte _byte;
    }
}
