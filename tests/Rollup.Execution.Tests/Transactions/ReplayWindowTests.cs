using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Tests.Transactions;

public class ReplayWindowTests
{
    private const ulong Jump = ReplayWindow.MaxForwardJump;

    /// <summary>The rules of docs/transactions.md over the set of every nonce ever used: slow, and plainly right.</summary>
    private sealed class Model
    {
        private readonly HashSet<ulong> _used = [];

        public ulong? Highest { get; private set; }

        public ReplayError Check(ulong nonce)
        {
            if (Highest is not { } highest)
            {
                return nonce < Jump ? ReplayError.None : ReplayError.TooFarAhead;
            }
            if (nonce > highest)
            {
                return nonce - highest <= Jump ? ReplayError.None : ReplayError.TooFarAhead;
            }
            if (highest - nonce >= 64)
            {
                return ReplayError.TooOld;
            }
            return _used.Contains(nonce) ? ReplayError.Replayed : ReplayError.None;
        }

        public void Use(ulong nonce)
        {
            _used.Add(nonce);
            Highest = Highest is { } highest ? Math.Max(highest, nonce) : nonce;
        }
    }

    [Fact]
    public void Property_AnySequenceOfNonces_AgreesWithSetModel()
    {
        // Each step is (how, value): a nonce near the highest used, just past a jump bound, an edge of the range,
        // or anything. The window is re-read from its storage form after every step.
        var step = Gen.Choose(0, 9).SelectMany(_ => Gen.Choose(-70, 70), (how, value) => (how, value));
        var property = Prop.ForAll(step.ListOf().ToArbitrary(), steps =>
        {
            var model = new Model();
            var window = default(ReplayWindow);
            var random = new Random(steps.Count);
            foreach (var (how, value) in steps)
            {
                var highest = model.Highest ?? 0;
                var nonce = how switch
                {
                    <= 5 => unchecked(highest + (ulong)(long)value),
                    6 => unchecked(highest + Jump + (ulong)(long)(value % 2)),
                    7 => Math.Abs(value % 3) switch { 0 => 0, 1 => Jump - 1, _ => Jump },
                    8 => ulong.MaxValue - (ulong)Math.Abs(value % 3),
                    _ => (ulong)random.NextInt64() * 2,
                };
                var expected = model.Check(nonce);
                Assert.Equal(expected, window.Check(nonce));
                Assert.Equal(expected == ReplayError.None, window.TryConsume(nonce, out var error));
                Assert.Equal(expected, error);
                if (expected == ReplayError.None)
                {
                    model.Use(nonce);
                }
                Assert.Equal(model.Highest, window.Highest);
                window = RoundTrip(window);
            }

            // Every nonce the window could know about agrees with the model afterwards.
            if (model.Highest is { } h)
            {
                for (var age = 0UL; age <= 66 && age <= h; age++)
                {
                    Assert.Equal(model.Check(h - age), window.Check(h - age));
                }
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000).WithEndSize(300), property);
    }

    [Fact]
    public void FreshSigner_AcceptsNonceZero_Once()
    {
        var window = default(ReplayWindow);
        Assert.True(window.IsFresh);
        Assert.Null(window.Highest);
        Assert.True(window.TryConsume(0, out _));
        Assert.False(window.IsFresh);
        Assert.Equal(0UL, window.Highest);
        Assert.False(window.TryConsume(0, out var error));
        Assert.Equal(ReplayError.Replayed, error);
        Assert.True(window.TryConsume(1, out _));
    }

    [Fact]
    public void SixtyFourNoncesInAnyOrder_AllAccepted_ThenAllReplayed()
    {
        var nonces = Enumerable.Range(1000, 64).Select(n => (ulong)n).ToArray();
        new Random(8).Shuffle(nonces);
        var window = default(ReplayWindow);
        foreach (var nonce in nonces)
        {
            Assert.True(window.TryConsume(nonce, out var error), $"{nonce}: {error}");
        }
        Assert.Equal(ulong.MaxValue, window.UsedBits);
        foreach (var nonce in nonces)
        {
            Assert.Equal(ReplayError.Replayed, window.Check(nonce));
        }
        Assert.Equal(ReplayError.TooOld, window.Check(999));
        Assert.Equal(ReplayError.None, window.Check(1064));
    }

    [Fact]
    public void GapsInsideTheWindow_CanBeFilledLater()
    {
        var window = default(ReplayWindow);
        Assert.True(window.TryConsume(10, out _));
        Assert.True(window.TryConsume(73, out _)); // 10 is now the oldest nonce the window holds
        Assert.Equal(ReplayError.Replayed, window.Check(10));
        Assert.Equal(ReplayError.TooOld, window.Check(9));
        Assert.True(window.TryConsume(11, out _));
        Assert.True(window.TryConsume(72, out _));
        Assert.True(window.TryConsume(74, out _)); // slides by one: 10 drops out
        Assert.Equal(ReplayError.TooOld, window.Check(10));
        Assert.Equal(ReplayError.Replayed, window.Check(11));
        Assert.Equal(ReplayError.None, window.Check(12));
    }

    [Fact]
    public void JumpOfSixtyFourOrMore_ForgetsTheOldWindow()
    {
        var window = default(ReplayWindow);
        Assert.True(window.TryConsume(4, out _));
        Assert.True(window.TryConsume(5, out _));
        Assert.True(window.TryConsume(5 + 64, out _)); // a shift by exactly the window's width
        Assert.Equal(0b1UL, window.UsedBits);
        Assert.Equal(ReplayError.TooOld, window.Check(5));
        Assert.Equal(ReplayError.None, window.Check(6));
        Assert.True(window.TryConsume(5 + 64 + 100, out _));
        Assert.Equal(0b1UL, window.UsedBits);
    }

    [Fact]
    public void ForwardJump_IsBounded()
    {
        var fresh = default(ReplayWindow);
        Assert.Equal(ReplayError.None, fresh.Check(Jump - 1));
        Assert.Equal(ReplayError.TooFarAhead, fresh.Check(Jump));
        Assert.Equal(ReplayError.TooFarAhead, fresh.Check(ulong.MaxValue));

        var window = default(ReplayWindow);
        Assert.True(window.TryConsume(7, out _));
        Assert.Equal(ReplayError.TooFarAhead, window.Check(7 + Jump + 1));
        Assert.False(window.TryConsume(ulong.MaxValue, out var error));
        Assert.Equal(ReplayError.TooFarAhead, error);
        Assert.Equal(7UL, window.Highest);
        Assert.True(window.TryConsume(7 + Jump, out _));
        Assert.Equal(7 + Jump, window.Highest);
    }

    [Fact]
    public void TopOfTheRange_IsUsableAndDoesNotWrap()
    {
        // H = 2^64 − 11, reached by many jumps of at most 2^32 (too many to replay here).
        Assert.True(ReplayWindow.TryDecode(Convert.FromHexString("fffffffffffffff5" + "0000000000000001"), out var window));
        Assert.True(window.TryConsume(ulong.MaxValue, out _));
        Assert.Equal(ulong.MaxValue, window.Highest);
        Assert.Equal((1UL << 10) | 1, window.UsedBits);
        Assert.Equal(ReplayError.Replayed, window.Check(ulong.MaxValue));
        Assert.Equal(ReplayError.Replayed, window.Check(ulong.MaxValue - 10));
        Assert.Equal(ReplayError.None, window.Check(ulong.MaxValue - 1));
        Assert.Equal(ReplayError.TooOld, window.Check(ulong.MaxValue - 64));
        Assert.Equal(ReplayError.TooOld, window.Check(0));
    }

    [Fact]
    public void RefusedNonce_ChangesNothing()
    {
        var window = default(ReplayWindow);
        Assert.True(window.TryConsume(100, out _));
        Assert.True(window.TryConsume(90, out _));
        var before = window;
        Assert.False(window.TryConsume(90, out _));
        Assert.False(window.TryConsume(36, out _));
        Assert.False(window.TryConsume(100 + Jump + 1, out _));
        Assert.Equal(before, window);
    }

    [Fact]
    public void StorageForm_IsSixteenBigEndianBytes()
    {
        Assert.Equal(16, Unsafe.SizeOf<ReplayWindow>());
        var window = default(ReplayWindow);
        var bytes = new byte[ReplayWindow.EncodedLength];
        window.Encode(bytes);
        Assert.Equal(new byte[16], bytes);

        Assert.True(window.TryConsume(0x0102, out _));
        Assert.True(window.TryConsume(0x0100, out _));
        window.Encode(bytes);
        Assert.Equal(Convert.FromHexString("0000000000000102" + "0000000000000005"), bytes);
        Assert.Equal(window, RoundTrip(window));
    }

    [Theory]
    [InlineData("00000000000000070000000000000000", "nothing used, yet H = 7")]
    [InlineData("00000000000000070000000000000002", "H's own bit clear")]
    [InlineData("00000000000000020000000000000009", "a bit for nonce -1")]
    [InlineData("0000000000000000ffffffffffffffff", "bits for nonces -1..-63")]
    [InlineData("000000000000000000000000000000", "15 bytes")]
    [InlineData("0000000000000000000000000000000000", "17 bytes")]
    public void TryDecode_UnreachableOrMisSizedState_Refused(string hex, string what)
    {
        Assert.False(ReplayWindow.TryDecode(Convert.FromHexString(hex), out var window), what);
        Assert.Equal(default, window);
    }

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("00000000000000000000000000000001")]
    [InlineData("000000000000003fffffffffffffffff")]
    [InlineData("ffffffffffffffff8000000000000001")]
    public void TryDecode_ReachableState_RoundTrips(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.True(ReplayWindow.TryDecode(bytes, out var window));
        var again = new byte[ReplayWindow.EncodedLength];
        window.Encode(again);
        Assert.Equal(bytes, again);
    }

    private static ReplayWindow RoundTrip(ReplayWindow window)
    {
        Span<byte> bytes = stackalloc byte[ReplayWindow.EncodedLength];
        window.Encode(bytes);
        Assert.True(ReplayWindow.TryDecode(bytes, out var decoded));
        Assert.Equal(window, decoded);
        return decoded;
    }
}
