using FsCheck;
using FsCheck.Fluent;

namespace Rollup.Storage.Tests;

public sealed class IteratorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<string> Forward(RocksIterator iterator)
    {
        var keys = new List<string>();
        for (var valid = iterator.SeekToFirst(); valid; valid = iterator.Next())
        {
            keys.Add(Bytes.Text(iterator.Key));
        }
        return keys;
    }

    private static List<string> Backward(RocksIterator iterator)
    {
        var keys = new List<string>();
        for (var valid = iterator.SeekToLast(); valid; valid = iterator.Prev())
        {
            keys.Add(Bytes.Text(iterator.Key));
        }
        return keys;
    }

    [Fact]
    public void Iterators_AndColumns_SurviveReopen()
    {
        var path = _temp.Combine("db");
        using (var db = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions))
        {
            foreach (var key in new[] { "c", "a", "b" })
            {
                db.Put(TestColumn.Headers, Bytes.Of(key), Bytes.Of("h" + key));
            }
            db.Put(TestColumn.Blocks, Bytes.Of("z"), Bytes.Of("bz"));
        }

        using var reopened = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        using (var headers = reopened.CreateIterator(TestColumn.Headers))
        {
            Assert.Equal(["a", "b", "c"], Forward(headers));
            Assert.Equal(["c", "b", "a"], Backward(headers));
            Assert.True(headers.Seek(Bytes.Of("b")));
            Assert.Equal("hb", Bytes.Text(headers.Value));
        }
        using var blocks = reopened.CreateIterator(TestColumn.Blocks);
        Assert.Equal(["z"], Forward(blocks));
        using var state = reopened.CreateIterator(TestColumn.State);
        Assert.Empty(Forward(state));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void PrefixIterator_ReturnsExactlyThePrefixedKeys_InOrder(int prefixExtractorLength)
    {
        using var db = RocksDb.Open<TestColumn>(
            _temp.Combine("db"),
            Bytes.SmallOptions,
            _ => Bytes.SmallOptions.Columns with { PrefixLength = prefixExtractorLength });
        byte[][] keys =
        [
            [0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0x00], [0x01, 0xFF, 0xFF], [0x01, 0xFF, 0xFF, 0x07],
            [0x02], [0x02, 0x00], [0x02, 0x00, 0x01], [0x02, 0x01], [0x00, 0x02], [0xFF], [0xFF, 0xFF], [0xFF, 0xFF, 0x01],
            // No key has the prefix 05 01: in prefix mode SeekToLast would ask the filters for 05 01 and
            // skip this file (seen: it returned nothing), which is why such iterators go forward only.
            [0x05, 0x00], [0x05, 0x00, 0x01],
        ];
        foreach (var key in keys)
        {
            db.Put(TestColumn.State, key, key);
        }
        db.Flush(TestColumn.State); // SST files with prefix filters ...
        db.Put(TestColumn.State, [0x01, 0xFF, 0x80], [0x01, 0xFF, 0x80]); // ... and a memtable entry
        var all = keys.Append([0x01, 0xFF, 0x80]).ToList();
        // Targets shorter than, equal to and longer than the prefix, inside and outside every range.
        byte[][] targets = [[], [0x00], [0x01], [0x01, 0x00], [0x01, 0xFF, 0x01], [0x02], [0x02, 0x00, 0x00], [0x03], [0xFF, 0xFF, 0xFF]];

        byte[][] prefixes = [[0x01], [0x01, 0xFF], [0x02, 0x00], [0xFF], [0xFF, 0xFF], [0x03], [0x01, 0xFF, 0xFF], [0x05, 0x00]];
        foreach (var prefix in prefixes)
        {
            var expected = all
                .Where(key => key.AsSpan().StartsWith(prefix))
                .Order(ByteComparer.Instance)
                .ToList();
            using var iterator = db.CreatePrefixIterator(TestColumn.State, prefix);

            var forward = new List<string>();
            for (var valid = iterator.SeekToFirst(); valid; valid = iterator.Next())
            {
                forward.Add(Convert.ToHexString(iterator.Key));
                Assert.Equal(iterator.Key.ToArray(), iterator.Value.ToArray());
            }
            Assert.Equal(expected.Select(Convert.ToHexString), forward);
            foreach (var target in targets)
            {
                var atOrAfter = expected.FirstOrDefault(key => ByteComparer.Instance.Compare(key, target) >= 0);
                Assert.Equal(atOrAfter is not null, iterator.Seek(target));
                Assert.Equal(atOrAfter, iterator.Valid ? iterator.Key.ToArray() : null);
            }

            // Prefix mode needs the extractor's length and an upper bound (an all-0xFF prefix has none).
            Assert.Equal(prefix.Length == prefixExtractorLength && prefix.Any(b => b != 0xFF), iterator.IsForwardOnly);
            if (iterator.IsForwardOnly)
            {
                Assert.Throws<InvalidOperationException>(() => iterator.SeekToLast());
                Assert.Throws<InvalidOperationException>(() => iterator.SeekForPrev(prefix));
                continue;
            }
            var backward = new List<string>();
            for (var valid = iterator.SeekToLast(); valid; valid = iterator.Prev())
            {
                backward.Add(Convert.ToHexString(iterator.Key));
            }
            backward.Reverse();
            Assert.Equal(expected.Select(Convert.ToHexString), backward);
            foreach (var target in targets)
            {
                var atOrBefore = expected.LastOrDefault(key => ByteComparer.Instance.Compare(key, target) <= 0);
                Assert.Equal(atOrBefore is not null, iterator.SeekForPrev(target));
                Assert.Equal(atOrBefore, iterator.Valid ? iterator.Key.ToArray() : null);
            }
        }
    }

    [Fact]
    public void SeekForPrev_FindsTheLastKeyAtOrBeforeTheTarget()
    {
        using var db = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);
        foreach (var key in new[] { "b", "d", "f" })
        {
            db.Put(TestColumn.Headers, Bytes.Of(key), Bytes.Of(key));
        }
        using var iterator = db.CreateIterator(TestColumn.Headers);

        Assert.True(iterator.SeekForPrev(Bytes.Of("e")));
        Assert.Equal("d", Bytes.Text(iterator.Key));
        Assert.True(iterator.SeekForPrev(Bytes.Of("d")));
        Assert.Equal("d", Bytes.Text(iterator.Key));
        Assert.True(iterator.SeekForPrev(Bytes.Of("zzz")));
        Assert.Equal("f", Bytes.Text(iterator.Key));
        Assert.False(iterator.SeekForPrev(Bytes.Of("a")));
        Assert.True(iterator.Seek(Bytes.Of("c")));
        Assert.Equal("d", Bytes.Text(iterator.Key));
        Assert.True(iterator.Prev());
        Assert.Equal("b", Bytes.Text(iterator.Key));
    }

    [Fact]
    public void UnpositionedIterator_RefusesKeyValueNextPrev_InsteadOfTrippingRocksDbAssertions()
    {
        using var db = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);
        using var iterator = db.CreateIterator(TestColumn.Headers);

        Assert.False(iterator.Valid);
        Assert.Throws<InvalidOperationException>(() => iterator.Next());
        Assert.Throws<InvalidOperationException>(() => iterator.Prev());
        Assert.Throws<InvalidOperationException>(() => iterator.Key.Length);
        Assert.False(iterator.SeekToFirst());
        Assert.Throws<InvalidOperationException>(() => iterator.Value.Length);
        iterator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => iterator.SeekToFirst());
    }

    [Fact]
    public void Iteration_MatchesASortedModel_ForRandomOperations()
    {
        using var db = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);
        // Bytes around the signed/unsigned boundary, so a wrong comparison would show.
        var keyByte = Gen.Elements<byte>(0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF);
        var key = Gen.Choose(0, 4).SelectMany(length => Gen.ArrayOf(keyByte, length));
        var operation =
            from k in key
            from delete in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
            from value in Gen.Choose(0, 1_000_000)
            select (Key: k, Delete: delete, Value: value);
        var scenario =
            from operations in Gen.ListOf(operation)
            from flushAfter in Gen.Choose(0, 40)
            from seeks in Gen.ListOf(key)
            select (Operations: operations.ToArray(), FlushAfter: flushAfter, Seeks: seeks.ToArray());

        Check.QuickThrowOnFailure(Prop.ForAll(Arb.From(scenario), testCase =>
        {
            ClearColumn(db, TestColumn.Blocks);
            var model = new SortedDictionary<byte[], byte[]>(ByteComparer.Instance);
            for (var i = 0; i < testCase.Operations.Length; i++)
            {
                var (k, delete, value) = testCase.Operations[i];
                if (delete)
                {
                    db.Delete(TestColumn.Blocks, k);
                    model.Remove(k);
                }
                else
                {
                    db.Put(TestColumn.Blocks, k, BitConverter.GetBytes(value));
                    model[k] = BitConverter.GetBytes(value);
                }
                if (i == testCase.FlushAfter)
                {
                    db.Flush(TestColumn.Blocks);
                }
            }

            using var iterator = db.CreateIterator(TestColumn.Blocks);
            var expected = model.Select(pair => Convert.ToHexString(pair.Key) + "=" + Convert.ToHexString(pair.Value)).ToList();
            var forward = new List<string>();
            for (var valid = iterator.SeekToFirst(); valid; valid = iterator.Next())
            {
                forward.Add(Convert.ToHexString(iterator.Key) + "=" + Convert.ToHexString(iterator.Value));
            }
            Assert.Equal(expected, forward);
            var backward = new List<string>();
            for (var valid = iterator.SeekToLast(); valid; valid = iterator.Prev())
            {
                backward.Add(Convert.ToHexString(iterator.Key) + "=" + Convert.ToHexString(iterator.Value));
            }
            backward.Reverse();
            Assert.Equal(expected, backward);

            var keys = model.Keys.ToList();
            foreach (var target in testCase.Seeks)
            {
                var atOrAfter = keys.FirstOrDefault(k => ByteComparer.Instance.Compare(k, target) >= 0);
                Assert.Equal(atOrAfter is not null, iterator.Seek(target));
                Assert.Equal(atOrAfter is null ? null : Convert.ToHexString(atOrAfter), iterator.Valid ? Convert.ToHexString(iterator.Key) : null);
                var atOrBefore = keys.LastOrDefault(k => ByteComparer.Instance.Compare(k, target) <= 0);
                Assert.Equal(atOrBefore is not null, iterator.SeekForPrev(target));
                Assert.Equal(atOrBefore is null ? null : Convert.ToHexString(atOrBefore), iterator.Valid ? Convert.ToHexString(iterator.Key) : null);
            }
        }));
    }

    private static void ClearColumn(RocksDb<TestColumn> db, TestColumn column)
    {
        using var batch = db.CreateWriteBatch();
        using (var iterator = db.CreateIterator(column))
        {
            for (var valid = iterator.SeekToFirst(); valid; valid = iterator.Next())
            {
                batch.Delete(column, iterator.Key);
            }
        }
        batch.Commit();
    }
}

/// <summary>RocksDB's default order: unsigned bytes, then length.</summary>
internal sealed class ByteComparer : IComparer<byte[]>
{
    public static ByteComparer Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
