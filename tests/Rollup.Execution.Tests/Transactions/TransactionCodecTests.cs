using FsCheck;
using FsCheck.Fluent;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Tests.Transactions;

public class TransactionCodecTests
{
    public static TheoryData<TxKind> AllKinds() => new(TxKinds.All.ToArray());

    [Fact]
    public void Property_RandomTransactionOfAnyKind_RoundTrips()
    {
        var inputs = Gen.Choose(0, TxKinds.All.Length - 1)
            .SelectMany(_ => Gen.Choose(0, int.MaxValue - 1), (kind, seed) => (kind, seed));
        var property = Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            var tx = TransactionSamples.Random(new Random(input.seed), TxKinds.All[input.kind]);
            AssertRoundTrips(tx);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), property);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void MaxValues_RoundTrip(TxKind kind)
    {
        var tx = TransactionSamples.Max(kind, new Address(Enumerable.Repeat((byte)0xEE, Address.Length).ToArray()));
        var length = AssertRoundTrips(tx);
        if (kind.CarriesMarketParams())
        {
            Assert.Equal(TransactionCodec.MaxSingleEncodedLength, length);
        }
        if (kind == TxKind.Bulk)
        {
            Assert.Equal(TransactionCodec.MaxEncodedLength, length);
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void EveryTruncation_FailsWithTruncated(TxKind kind)
    {
        var random = new Random(1000 + (int)kind);
        for (var sample = 0; sample < 20; sample++)
        {
            var encoded = Encode(TransactionSamples.Random(random, kind));
            for (var length = 0; length < encoded.Length; length++)
            {
                Assert.False(TransactionCodec.TryDecode(encoded.AsSpan(0, length), out var tx, out var consumed, out var error));
                Assert.Equal(TxDecodeError.Truncated, error);
                Assert.Equal(default, tx);
                Assert.Equal(0, consumed);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void BytesAfterTheTransaction_AreLeftAlone(TxKind kind)
    {
        var random = new Random(2000 + (int)kind);
        var tx = TransactionSamples.Random(random, kind);
        var encoded = Encode(tx);
        var stream = new byte[encoded.Length + 300];
        random.NextBytes(stream);
        encoded.CopyTo(stream, 0);

        Assert.True(TransactionCodec.TryDecode(stream, out var decoded, out var consumed, out _));
        Assert.Equal(encoded.Length, consumed);
        Assert.Equal(tx, decoded);
    }

    [Fact]
    public void Property_RandomGarbage_NeverThrows_AndWhatDecodesReencodesToItself()
    {
        // The first byte is usually a defined kind, so the garbage reaches the kinds' field checks.
        var inputs = Gen.Choose(0, 15)
            .SelectMany(_ => Gen.Choose(0, MaxGarbage), (kind, length) => (kind, length))
            .SelectMany(_ => Gen.Choose(0, int.MaxValue - 1), (kl, seed) => (kl.kind, kl.length, seed));
        var property = Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            var random = new Random(input.seed);
            var bytes = new byte[input.length + 1];
            random.NextBytes(bytes);
            bytes[0] = input.kind <= 13 ? (byte)input.kind : bytes[0];
            if (bytes.Length > 1 + Address.Length + 4 + 1 && random.Next(2) == 0)
            {
                bytes[1 + Address.Length + 4] = (byte)random.Next(20); // a plausible symbol length
            }
            AssertDecodesCanonicallyOrRefuses(bytes);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), property);
    }

    [Fact]
    public void Property_MutatedEncodings_NeverThrow_AndWhatDecodesReencodesToItself()
    {
        var inputs = Gen.Choose(0, TxKinds.All.Length - 1)
            .SelectMany(_ => Gen.Choose(0, int.MaxValue - 1), (kind, seed) => (kind, seed));
        var property = Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            var random = new Random(input.seed);
            var encoded = Encode(TransactionSamples.Random(random, TxKinds.All[input.kind]));
            for (var i = 0; i < 8; i++)
            {
                var mutated = (byte[])encoded.Clone();
                var at = random.Next(mutated.Length);
                mutated[at] = random.Next(3) switch
                {
                    0 => (byte)(mutated[at] ^ (1 << random.Next(8))),
                    1 => (byte)random.Next(256),
                    _ => (byte)random.Next(6),
                };
                AssertDecodesCanonicallyOrRefuses(mutated);
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), property);
    }

    // Byte vectors written out by hand from docs/transactions.md ("Binary layout"), not produced by the encoder.
    public static TheoryData<string, string> Vectors() => new()
    {
        {
            "CancelOrder",
            "05"                                                                      // kind
            + "000102030405060708090a0b0c0d0e0f10111213"                                // account
            + "00000007"                                                                // market
            + "0102030405060708"                                                        // orderId
            + "000000000000002a"                                                        // nonce
            + new string('a', 64) + new string('b', 64) + "1b"                          // r, s, v
        },
        {
            "PlaceOrder",
            "04"                                                                        // kind
            + "5fbdb2315678afecb367f032d93f642f64180aa3"                                // account
            + "00000001"                                                                // market
            + "01"                                                                      // isBuy
            + "00000000002dc6c0"                                                        // price 3,000,000
            + "0000000000000019"                                                        // size 25
            + "01"                                                                      // kind: market
            + "01"                                                                      // timeInForce: IOC
            + "00"                                                                      // reduceOnly
            + "ffffffffffffffff"                                                        // clientOrderId
            + "0000000000000001"                                                        // nonce
            + new string('1', 128) + "00"                                               // r, s, v
        },
        {
            "Deposit",
            "01"                                                                        // kind
            + new string('f', 40)                                                       // account
            + "00000000000f4240"                                                        // amount 1,000,000
            + "0000000000000000"                                                        // depositIndex
        },
        {
            "CreateMarket",
            "09"                                                                        // kind
            + new string('0', 38) + "01"                                                // account
            + "00000003"                                                                // market
            + "08" + "4254432d50455250"                                                 // symbol "BTC-PERP"
            + "0000000000000064"                                                        // tickSize 100
            + "0000000000000001"                                                        // lotSize 1
            + "00000000000f4240"                                                        // sizeScale 1,000,000
            + "000186a0"                                                                // initialMarginPpm 100,000
            + "0000c350"                                                                // maintenanceMarginPpm 50,000
            + "000000c8"                                                                // makerFeePpm 200
            + "000001f4"                                                                // takerFeePpm 500
            + "0000c350"                                                                // priceBandPpm 50,000
            + "000000c8"                                                                // maxOpenOrdersPerAccount 200
            + "00000e10"                                                                // fundingIntervalBlocks 3,600
            + "000003e8"                                                                // fundingCapPpm 1,000
            + "00001388"                                                                // liquidationFeePpm 5,000
            + "000186a0"                                                                // haltMovePpm 100,000
            + "0000003c"                                                                // haltWindowBlocks 60
            + "000f4240"                                                                // maxBookOrders 1,000,000
            + "00002710"                                                                // maxBookLevels 10,000
            + "01" + new string('2', 40)                                                // one oracle signer
            + "0000000000000000"                                                        // nonce
            + new string('3', 128) + "1c"                                               // r, s, v
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void HandWrittenVector_DecodesToItsTransaction_AndEncodesBack(string name, string hex)
    {
        var bytes = Hex.Parse(hex);
        var expected = ExpectedVector(name);

        Assert.True(TransactionCodec.TryDecode(bytes, out var tx, out var consumed, out var error), error.ToString());
        Assert.Equal(expected, tx);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(bytes, Encode(expected));
    }

    // Each starts from a hand-written vector above and breaks one thing.
    public static TheoryData<string, string, TxDecodeError> Malformed() => new()
    {
        { "empty input", "", TxDecodeError.Truncated },
        { "kind 0", "00" + Vector("Deposit")[2..], TxDecodeError.UnknownKind },
        { "kind 14", "0e" + Vector("CancelOrder")[2..], TxDecodeError.UnknownKind },
        { "kind 255", "ff", TxDecodeError.UnknownKind },
        { "isBuy 2", Patch(Vector("PlaceOrder"), 25, "02"), TxDecodeError.BadBool },
        { "reduceOnly 0xff", Patch(Vector("PlaceOrder"), 44, "ff"), TxDecodeError.BadBool },
        { "order kind 2", Patch(Vector("PlaceOrder"), 42, "02"), TxDecodeError.BadOrderKind },
        { "time in force 4", Patch(Vector("PlaceOrder"), 43, "04"), TxDecodeError.BadTimeInForce },
        { "toMarket 2", "03" + new string('0', 40) + "00000001" + "0000000000000005" + "02" + new string('0', 16) + new string('1', 130), TxDecodeError.BadBool },
        { "symbol length 0", Patch(Vector("CreateMarket"), 25, "00"), TxDecodeError.BadSymbolLength },
        { "symbol length 17", Patch(Vector("CreateMarket"), 25, "11"), TxDecodeError.BadSymbolLength },
        { "symbol with a space", Patch(Vector("CreateMarket"), 29, "20"), TxDecodeError.BadSymbolCharacter },
        { "symbol with DEL", Patch(Vector("CreateMarket"), 26, "7f"), TxDecodeError.BadSymbolCharacter },
        { "symbol with a non-ASCII byte", Patch(Vector("CreateMarket"), 33, "c3"), TxDecodeError.BadSymbolCharacter },
        { "five oracle signers", Patch(Vector("CreateMarket"), 110, "05") + new string('2', 160), TxDecodeError.TooManyOracleSigners },
        { "two oracle signers, one given", Patch(Vector("CreateMarket"), 110, "02"), TxDecodeError.Truncated },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedInput_IsRefusedWithItsReason(string what, string hex, TxDecodeError expected)
    {
        Assert.False(TransactionCodec.TryDecode(Hex.Parse(hex), out var tx, out var consumed, out var error), what);
        Assert.Equal(expected, error);
        Assert.Equal(default, tx);
        Assert.Equal(0, consumed);
        Assert.False(string.IsNullOrEmpty(TransactionCodec.Describe(error)));
    }

    public static TheoryData<string, TxDecodeError> Unencodable() => new()
    {
        { "kind 0", TxDecodeError.UnknownKind },
        { "kind 14", TxDecodeError.UnknownKind },
        { "order kind 2", TxDecodeError.BadOrderKind },
        { "time in force 4", TxDecodeError.BadTimeInForce },
        { "withdraw with a market", TxDecodeError.UnusedFieldSet },
        { "order with an amount", TxDecodeError.UnusedFieldSet },
        { "cancel-all with a price", TxDecodeError.UnusedFieldSet },
        { "pause with params", TxDecodeError.UnusedFieldSet },
        { "signed deposit", TxDecodeError.UnusedFieldSet },
        { "deposit with a nonce", TxDecodeError.UnusedFieldSet },
        { "create market without params", TxDecodeError.MissingParams },
        { "empty symbol", TxDecodeError.BadSymbolLength },
        { "17-character symbol", TxDecodeError.BadSymbolLength },
        { "symbol with a space", TxDecodeError.BadSymbolCharacter },
        { "non-ASCII symbol", TxDecodeError.BadSymbolCharacter },
        { "five oracle signers", TxDecodeError.TooManyOracleSigners },
    };

    [Theory]
    [MemberData(nameof(Unencodable))]
    public void Encode_MalformedTransaction_ThrowsWithItsReason(string what, TxDecodeError expected)
    {
        var order = ExpectedVector("PlaceOrder");
        var create = ExpectedVector("CreateMarket");
        var withdraw = new Transaction { Kind = TxKind.Withdraw, Amount = 5, Nonce = 1 };
        var deposit = ExpectedVector("Deposit");
        var tx = what switch
        {
            "kind 0" => withdraw with { Kind = 0 },
            "kind 14" => withdraw with { Kind = (TxKind)14 },
            "order kind 2" => order with { OrderKind = (OrderKind)2 },
            "time in force 4" => order with { TimeInForce = (TimeInForce)4 },
            "withdraw with a market" => withdraw with { Market = 1 },
            "order with an amount" => order with { Amount = 1 },
            "cancel-all with a price" => new Transaction { Kind = TxKind.CancelAllOrders, Price = 1 },
            "pause with params" => new Transaction { Kind = TxKind.PauseMarket, Params = create.Params },
            "signed deposit" => deposit with { Signature = order.Signature },
            "deposit with a nonce" => deposit with { Nonce = 1 },
            "create market without params" => create with { Params = null },
            "empty symbol" => create with { Params = create.Params! with { Symbol = "" } },
            "17-character symbol" => create with { Params = create.Params! with { Symbol = new string('A', 17) } },
            "symbol with a space" => create with { Params = create.Params! with { Symbol = "BTC PERP" } },
            "non-ASCII symbol" => create with { Params = create.Params! with { Symbol = "BTC-€" } },
            "five oracle signers" => create with { Params = create.Params! with { OracleSigners = new Address[5] } },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        Assert.Equal(expected, TransactionCodec.Validate(tx));
        var thrown = Assert.Throws<ArgumentException>(() => TransactionCodec.Encode(tx, new byte[TransactionCodec.MaxEncodedLength]));
        Assert.Contains(expected.ToString(), thrown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TransactionCodec.GetEncodedLength(tx));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Encode_DestinationTooShort_Throws(TxKind kind)
    {
        var tx = TransactionSamples.Random(new Random(3000 + (int)kind), kind);
        var length = TransactionCodec.GetEncodedLength(tx);
        Assert.Throws<ArgumentException>(() => TransactionCodec.Encode(tx, new byte[length - 1]));
    }

    [Fact]
    public void LengthsPerKind_AreTheDocumentedOnes()
    {
        int LengthOf(TxKind kind) => TransactionCodec.GetEncodedLength(TransactionSamples.Random(new Random(1), kind));
        Assert.Equal(37, LengthOf(TxKind.Deposit));
        Assert.Equal(102, LengthOf(TxKind.Withdraw));
        Assert.Equal(107, LengthOf(TxKind.TransferMargin));
        Assert.Equal(126, LengthOf(TxKind.PlaceOrder));
        Assert.Equal(106, LengthOf(TxKind.CancelOrder));
        Assert.Equal(106, LengthOf(TxKind.CancelOrderByClientId));
        Assert.Equal(98, LengthOf(TxKind.CancelAllOrders));
        Assert.Equal(114, LengthOf(TxKind.OracleUpdate));
        Assert.Equal(98, LengthOf(TxKind.PauseMarket));
        Assert.Equal(98, LengthOf(TxKind.ResumeMarket));
        Assert.Equal(272, TransactionCodec.MaxSingleEncodedLength);
        // A bulk: 99 fixed bytes (kind, account, market, item count, nonce, signature), then 29 per place item, 9 per
        // cancel (by id or client id), 37 per cancel-replace; the longest, 64 cancel-replaces.
        Assert.Equal(99 + (64 * 37), TransactionCodec.MaxEncodedLength);
        var create = ExpectedVector("CreateMarket");
        Assert.Equal(176 + 8 + 20, TransactionCodec.GetEncodedLength(create));
    }

    [Fact]
    public void SignedTransaction_AfterRoundTrip_StillRecoversToItsAccount()
    {
        var random = new Random(11);
        var domain = RollupDomain.Create(31337, TransactionSamples.RandomAddress(random));
        foreach (var kind in TxKinds.All)
        {
            if (!kind.IsSigned())
            {
                continue;
            }
            var key = TransactionSamples.RandomKey(random);
            var signed = TransactionSigning.Sign(TransactionSamples.Random(random, kind, key.Address), key, domain);
            Assert.True(TransactionCodec.TryDecode(Encode(signed), out var decoded, out _, out _));
            Assert.Equal(SignatureError.None, TransactionSigning.TryRecoverSigner(decoded, domain, out var signer));
            Assert.Equal(key.Address, signer);
        }
    }

    [Fact]
    public void EncodeAndDecode_NonAdminKinds_AllocateNothing()
    {
        var random = new Random(4);
        var transactions = TxKinds.All.ToArray().Where(k => !k.CarriesMarketParams() && k != TxKind.Bulk).Select(k => TransactionSamples.Random(random, k)).ToArray();
        var buffer = new byte[TransactionCodec.MaxEncodedLength];
        foreach (var tx in transactions)
        {
            var length = TransactionCodec.Encode(tx, buffer);
            TransactionCodec.TryDecode(buffer.AsSpan(0, length), out _, out _, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 100; round++)
        {
            foreach (ref readonly var tx in transactions.AsSpan())
            {
                var length = TransactionCodec.Encode(tx, buffer);
                TransactionCodec.TryDecode(buffer.AsSpan(0, length), out _, out _, out _);
                TransactionCodec.TryDecode(buffer.AsSpan(0, length - 1), out _, out _, out _);
            }
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private const int MaxGarbage = TransactionCodec.MaxEncodedLength + 40;

    private static int AssertRoundTrips(in Transaction tx)
    {
        Assert.Equal(TxDecodeError.None, TransactionCodec.Validate(tx));
        var buffer = new byte[TransactionCodec.MaxEncodedLength];
        var length = TransactionCodec.Encode(tx, buffer);
        Assert.Equal(TransactionCodec.GetEncodedLength(tx), length);
        Assert.True(TransactionCodec.TryDecode(buffer.AsSpan(0, length), out var decoded, out var consumed, out var error), error.ToString());
        Assert.Equal(length, consumed);
        Assert.Equal(tx, decoded);
        return length;
    }

    private static void AssertDecodesCanonicallyOrRefuses(byte[] bytes)
    {
        if (TransactionCodec.TryDecode(bytes, out var tx, out var consumed, out var error))
        {
            Assert.Equal(TxDecodeError.None, error);
            Assert.Equal(bytes.AsSpan(0, consumed).ToArray(), Encode(tx));
        }
        else
        {
            Assert.NotEqual(TxDecodeError.None, error);
            Assert.Equal(default, tx);
        }
    }

    private static byte[] Encode(in Transaction tx)
    {
        var buffer = new byte[TransactionCodec.MaxEncodedLength];
        return buffer.AsSpan(0, TransactionCodec.Encode(tx, buffer)).ToArray();
    }

    private static string Vector(string name) => (string)Vectors().Single(row => (string)row[0] == name)[1];

    private static string Patch(string hex, int byteOffset, string replacement) =>
        hex[..(byteOffset * 2)] + replacement + hex[((byteOffset * 2) + replacement.Length)..];

    private static Transaction ExpectedVector(string name) => name switch
    {
        "CancelOrder" => new Transaction
        {
            Kind = TxKind.CancelOrder,
            Account = Address.Parse("0x000102030405060708090a0b0c0d0e0f10111213"),
            Market = 7,
            OrderId = 0x0102030405060708,
            Nonce = 42,
            Signature = SignatureOf(0xAA, 0xBB, 27),
        },
        "PlaceOrder" => new Transaction
        {
            Kind = TxKind.PlaceOrder,
            Account = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
            Market = 1,
            IsBuy = true,
            Price = 3_000_000,
            Size = 25,
            OrderKind = OrderKind.Market,
            TimeInForce = TimeInForce.Ioc,
            ReduceOnly = false,
            ClientOrderId = ulong.MaxValue,
            Nonce = 1,
            Signature = SignatureOf(0x11, 0x11, 0),
        },
        "Deposit" => new Transaction
        {
            Kind = TxKind.Deposit,
            Account = Address.Parse("0xffffffffffffffffffffffffffffffffffffffff"),
            Amount = 1_000_000,
            DepositIndex = 0,
        },
        "CreateMarket" => new Transaction
        {
            Kind = TxKind.CreateMarket,
            Account = Address.Parse("0x0000000000000000000000000000000000000001"),
            Market = 3,
            Params = new MarketParams
            {
                Symbol = "BTC-PERP",
                TickSize = 100,
                LotSize = 1,
                SizeScale = 1_000_000,
                InitialMarginPpm = 100_000,
                MaintenanceMarginPpm = 50_000,
                MakerFeePpm = 200,
                TakerFeePpm = 500,
                PriceBandPpm = 50_000,
                MaxOpenOrdersPerAccount = 200,
                FundingIntervalBlocks = 3_600,
                FundingCapPpm = 1_000,
                LiquidationFeePpm = 5_000,
                HaltMovePpm = 100_000,
                HaltWindowBlocks = 60,
                MaxBookOrders = 1_000_000,
                MaxBookLevels = 10_000,
                OracleSigners = [Address.Parse("0x2222222222222222222222222222222222222222")],
            },
            Nonce = 0,
            Signature = SignatureOf(0x33, 0x33, 28),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static Signature SignatureOf(byte r, byte s, byte v) =>
        new([.. Enumerable.Repeat(r, 32), .. Enumerable.Repeat(s, 32), v]);
}
