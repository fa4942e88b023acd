using System.Buffers.Binary;

namespace Rollup.Fuzz;

/// <summary>
/// Seeded byte-level mutations of valid inputs, the kinds coverage-guided fuzzers use: bit flips, interesting bytes and
/// integers at their edges (both byte orders), inserted, deleted and repeated ranges, truncation, splices of two seeds.
/// The same seed gives the same inputs on every machine.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];
    private static readonly ulong[] InterestingIntegers =
    [
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF,
    ];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>One to four mutations of <paramref name="input"/> (a copy); <paramref name="other"/> is for splices.</summary>
    public byte[] Mutate(byte[] input, byte[] other)
    {
        var data = new List<byte>(input);
        var count = 1 + _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(data, other);
        }
        return [.. data];
    }

    private void MutateOnce(List<byte> data, byte[] other)
    {
        switch (_random.Next(data.Count == 0 ? 1 : 9))
        {
            case 0:
                data.InsertRange(_random.Next(data.Count + 1), RandomBytes(1 + _random.Next(16)));
                break;
            case 1:
                var bit = _random.Next(data.Count * 8);
                data[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 2:
                data[_random.Next(data.Count)] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                break;
            case 3:
                data[_random.Next(data.Count)] = (byte)_random.Next(256);
                break;
            case 4:
                OverwriteInteger(data);
                break;
            case 5:
                var start = _random.Next(data.Count);
                data.RemoveRange(start, 1 + _random.Next(Math.Min(32, data.Count - start)));
                break;
            case 6:
                var from = _random.Next(data.Count);
                var length = 1 + _random.Next(Math.Min(64, data.Count - from));
                data.InsertRange(_random.Next(data.Count + 1), data.GetRange(from, length));
                break;
            case 7:
                var keep = _random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            default:
                // The head of one input and the tail of another.
                var cut = _random.Next(data.Count + 1);
                var tail = other.Length == 0 ? 0 : _random.Next(other.Length);
                data.RemoveRange(cut, data.Count - cut);
                data.AddRange(other.AsSpan(tail).ToArray());
                break;
        }
    }

    private void OverwriteInteger(List<byte> data)
    {
        var width = 1 << _random.Next(4); // 1, 2, 4 or 8 bytes
        if (data.Count < width)
        {
            return;
        }
        var value = InterestingIntegers[_random.Next(InterestingIntegers.Length)];
        Span<byte> bytes = stackalloc byte[8];
        if (_random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
            bytes = bytes[(8 - width)..];
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
            bytes = bytes[..width];
        }
        var at = _random.Next(data.Count - width + 1);
        for (var i = 0; i < width; i++)
        {
            data[at + i] = bytes[i];
        }
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
