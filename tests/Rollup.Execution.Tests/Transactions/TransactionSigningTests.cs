using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Transactions;

public class TransactionSigningTests
{
    private static readonly Address Contract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");

    // Written out from docs/transactions.md, not derived from the code under test: the primary type of each
    // signed kind and the members of every struct type, in protocol order.
    private static readonly Dictionary<TxKind, string> PrimaryTypes = new()
    {
        [TxKind.Withdraw] = "Withdraw",
        [TxKind.TransferMargin] = "TransferMargin",
        [TxKind.PlaceOrder] = "Order",
        [TxKind.CancelOrder] = "CancelOrder",
        [TxKind.CancelOrderByClientId] = "CancelOrderByClientId",
        [TxKind.CancelAllOrders] = "CancelAllOrders",
        [TxKind.OracleUpdate] = "OracleUpdate",
        [TxKind.CreateMarket] = "CreateMarket",
        [TxKind.SetMarketParams] = "SetMarketParams",
        [TxKind.PauseMarket] = "PauseMarket",
        [TxKind.ResumeMarket] = "ResumeMarket",
        [TxKind.Bulk] = "Bulk",
    };

    private static readonly Dictionary<string, (string Name, string Type)[]> DocumentedTypes = new()
    {
        ["Order"] =
        [
            ("account", "address"), ("market", "uint32"), ("isBuy", "bool"), ("price", "uint64"), ("size", "uint64"),
            ("kind", "uint8"), ("timeInForce", "uint8"), ("reduceOnly", "bool"), ("clientOrderId", "uint64"), ("nonce", "uint64"),
        ],
        ["Withdraw"] = [("account", "address"), ("amount", "uint64"), ("nonce", "uint64")],
        ["TransferMargin"] = [("account", "address"), ("market", "uint32"), ("amount", "uint64"), ("toMarket", "bool"), ("nonce", "uint64")],
        ["CancelOrder"] = [("account", "address"), ("market", "uint32"), ("orderId", "uint64"), ("nonce", "uint64")],
        ["CancelOrderByClientId"] = [("account", "address"), ("market", "uint32"), ("clientOrderId", "uint64"), ("nonce", "uint64")],
        ["CancelAllOrders"] = [("account", "address"), ("market", "uint32"), ("nonce", "uint64")],
        ["OracleUpdate"] = [("account", "address"), ("market", "uint32"), ("price", "uint64"), ("timestamp", "uint64"), ("nonce", "uint64")],
        ["CreateMarket"] = [("account", "address"), ("market", "uint32"), ("params", "MarketParams"), ("nonce", "uint64")],
        ["SetMarketParams"] = [("account", "address"), ("market", "uint32"), ("params", "MarketParams"), ("nonce", "uint64")],
        ["PauseMarket"] = [("account", "address"), ("market", "uint32"), ("nonce", "uint64")],
        ["ResumeMarket"] = [("account", "address"), ("market", "uint32"), ("nonce", "uint64")],
        ["Bulk"] = [("account", "address"), ("items", "BulkItem[]"), ("nonce", "uint64")],
        ["BulkItem"] =
        [
            ("market", "uint32"), ("action", "uint8"), ("orderId", "uint64"), ("isBuy", "bool"), ("price", "uint64"), ("size", "uint64"),
            ("kind", "uint8"), ("timeInForce", "uint8"), ("reduceOnly", "bool"), ("clientOrderId", "uint64"),
        ],
        ["MarketParams"] =
        [
            ("symbol", "string"), ("tickSize", "uint64"), ("lotSize", "uint64"), ("sizeScale", "uint64"),
            ("initialMarginPpm", "uint32"), ("maintenanceMarginPpm", "uint32"), ("makerFeePpm", "uint32"), ("takerFeePpm", "uint32"),
            ("priceBandPpm", "uint32"), ("maxOpenOrdersPerAccount", "uint32"), ("fundingIntervalBlocks", "uint32"),
            ("fundingCapPpm", "uint32"), ("liquidationFeePpm", "uint32"), ("haltMovePpm", "uint32"), ("haltWindowBlocks", "uint32"),
            ("maxBookOrders", "uint32"), ("maxBookLevels", "uint32"), ("oracleSigners", "address[]"),
        ],
    };

    public static TheoryData<TxKind> SignedKinds() => new(PrimaryTypes.Keys);

    [Fact]
    public void EverySignedKind_StructHashDigestAndSignatures_MatchEthers()
    {
        var random = new Random(31337);
        var domain = RollupDomain.Create((ulong)random.NextInt64(1, long.MaxValue), TransactionSamples.RandomAddress(random));
        var cases = new List<(Transaction Tx, PrivateKey Key)>();
        var requests = new JsonArray();
        foreach (var (kind, primaryType) in PrimaryTypes)
        {
            var batch = new List<(Transaction Tx, PrivateKey Key)>();
            for (var i = 0; i < 12; i++)
            {
                var key = TransactionSamples.RandomKey(random);
                var tx = i == 0 ? TransactionSamples.Max(kind, key.Address) : TransactionSamples.Random(random, kind, key.Address);
                if (tx.Params is { } parameters && i > 0)
                {
                    // Every signer count from 0 to 4 (the empty address[] included).
                    tx = tx with { Params = parameters with { OracleSigners = parameters.OracleSigners.Concat(Enumerable.Repeat(key.Address, 4)).Take(i % 5).ToArray() } };
                }
                batch.Add((tx, key));
            }
            cases.AddRange(batch);
            requests.Add(new JsonObject
            {
                ["op"] = "typedData",
                ["domain"] = DomainJson(domain),
                ["types"] = TypesJson(primaryType),
                ["primaryType"] = primaryType,
                ["messages"] = new JsonArray(batch.Select(c => (JsonNode)Message(c.Tx)).ToArray()),
                ["keys"] = new JsonArray(batch.Select(c => (JsonNode)c.Key.ToHexUnsafe()).ToArray()),
            });
        }

        var answers = EthersOracle.Ask(new JsonObject { ["op"] = "batch", ["requests"] = requests }).GetProperty("answers").EnumerateArray();
        var results = answers.SelectMany(a => a.GetProperty("results").EnumerateArray()).ToList();
        Assert.Equal(cases.Count, results.Count);

        for (var i = 0; i < cases.Count; i++)
        {
            var (tx, key) = cases[i];
            var result = results[i];
            Assert.Equal(Hash256.Parse(result.GetProperty("structHash").GetString()!), TransactionSigning.StructHash(tx));
            Assert.Equal(Hash256.Parse(result.GetProperty("digest").GetString()!), TransactionSigning.SigningDigest(tx, domain));

            // ethers' signature (v = 27/28) recovers to the account through our digest...
            var theirs = Hex.Parse(result.GetProperty("signature").GetString()!);
            var signedByEthers = tx with { Signature = new Signature(theirs) };
            Assert.Equal(SignatureError.None, TransactionSigning.TryRecoverSigner(signedByEthers, domain, out var signer));
            Assert.Equal(tx.Account, signer);

            // ...and ours is the same RFC 6979 signature, with v = 0/1.
            var ours = TransactionSigning.Sign(tx, key, domain).Signature.Bytes;
            Assert.Equal(theirs.AsSpan(0, 64).ToArray(), ours[..64].ToArray());
            Assert.Equal(theirs[64], ours[64] + 27);
        }
    }

    [Theory]
    [MemberData(nameof(SignedKinds))]
    public void StructHash_RandomTransactions_MatchesGeneralEncoder(TxKind kind)
    {
        var encoder = new TypedDataEncoder(DocumentedEncoderTypes());
        var random = new Random(7 + (int)kind);
        for (var i = 0; i < 200; i++)
        {
            var tx = i == 0 ? TransactionSamples.Max(kind, Address.Zero) : TransactionSamples.Random(random, kind);
            var message = JsonDocument.Parse(Message(tx).ToJsonString()).RootElement.Clone();
            Assert.Equal(encoder.HashStruct(PrimaryTypes[kind], message), TransactionSigning.StructHash(tx));
        }
    }

    [Theory]
    [MemberData(nameof(SignedKinds))]
    public void EncodedType_FromDocumentedFields_IsTheConstant(TxKind kind)
    {
        var encoder = new TypedDataEncoder(DocumentedEncoderTypes());
        Assert.Equal(PrimaryTypes[kind], TransactionSigning.PrimaryType(kind));
        Assert.Equal(encoder.EncodeType(PrimaryTypes[kind]), TransactionSigning.EncodedType(kind));
        Assert.Equal(encoder.TypeHash(PrimaryTypes[kind]), TransactionSigning.TypeHash(kind));
    }

    [Theory]
    [MemberData(nameof(SignedKinds))]
    public void EncodedType_ParsedByGeneralEncoder_SameTextAndTypeHash(TxKind kind)
    {
        var encoded = TransactionSigning.EncodedType(kind);
        var encoder = new TypedDataEncoder(ParseEncodedType(encoded));
        Assert.Equal(encoded, encoder.EncodeType(TransactionSigning.PrimaryType(kind)));
        Assert.Equal(TransactionSigning.TypeHash(kind), encoder.TypeHash(TransactionSigning.PrimaryType(kind)));
    }

    [Fact]
    public void DocumentedTypeStrings_AreTheConstants()
    {
        var lines = File.ReadAllLines(RepositoryPaths.Combine("docs", "transactions.md"));
        foreach (var kind in PrimaryTypes.Keys)
        {
            Assert.Contains(TransactionSigning.EncodedType(kind), lines);
        }
        Assert.Contains(TransactionSigning.OrderType, File.ReadAllLines(RepositoryPaths.Combine("docs", "eip712.md")));
    }

    [Fact]
    public void MarketParamsType_ParsedByGeneralEncoder_SameTypeHash()
    {
        var encoder = new TypedDataEncoder(ParseEncodedType(TransactionSigning.MarketParamsType));
        Assert.Equal(TransactionSigning.MarketParamsTypeHash, encoder.TypeHash("MarketParams"));
    }

    [Fact]
    public void OrderType_IsTheReleasedOne()
    {
        Assert.Equal(
            "Order(address account,uint32 market,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId,uint64 nonce)",
            TransactionSigning.OrderType);
    }

    [Fact]
    public void Deposit_AndUndefinedKinds_HaveNoSigningDigest()
    {
        var domain = RollupDomain.Create(1, Contract);
        Assert.Throws<ArgumentException>(() => TransactionSigning.StructHash(new Transaction { Kind = TxKind.Deposit }));
        Assert.Throws<ArgumentException>(() => TransactionSigning.SigningDigest(new Transaction { Kind = (TxKind)0 }, domain));
        Assert.Throws<ArgumentException>(() => TransactionSigning.StructHash(new Transaction { Kind = (TxKind)13 }));
        Assert.Throws<ArgumentException>(() => TransactionSigning.TypeHash(TxKind.Deposit));
        Assert.Throws<ArgumentException>(() => TransactionSigning.EncodedType(TxKind.Deposit));
    }

    [Fact]
    public void MarketAdminKind_WithoutParams_Throws()
    {
        Assert.Throws<ArgumentException>(() => TransactionSigning.StructHash(new Transaction { Kind = TxKind.CreateMarket }));
        Assert.Throws<ArgumentException>(() => TransactionSigning.StructHash(new Transaction { Kind = TxKind.SetMarketParams }));
    }

    [Fact]
    public void SigningDigest_OtherChainOrContract_Differs()
    {
        var tx = new PlaceOrder(Address.Zero, 1, true, 100, 5, OrderKind.Limit, TimeInForce.Gtc, false, 1, 1).ToTransaction();
        var digest = TransactionSigning.SigningDigest(tx, RollupDomain.Create(1, Contract));
        Assert.NotEqual(digest, TransactionSigning.SigningDigest(tx, RollupDomain.Create(2, Contract)));
        Assert.NotEqual(digest, TransactionSigning.SigningDigest(tx, RollupDomain.Create(1, Address.Zero)));
    }

    [Fact]
    public void SameFields_DifferentKinds_DifferentDigests()
    {
        var domain = RollupDomain.Create(1, Contract);
        var digests = new HashSet<Hash256>();
        foreach (var kind in PrimaryTypes.Keys)
        {
            var tx = new Transaction { Kind = kind, Account = Contract, Market = 1, Nonce = 1, Params = new MarketParams(), Items = new ValueArray<BulkItem>([default]) };
            Assert.True(digests.Add(TransactionSigning.SigningDigest(tx, domain)), $"{kind} collides with another kind");
        }
    }

    [Theory]
    [MemberData(nameof(SignedKinds))]
    public void Sign_RecoversToTheKey_AndAnyChangedFieldRecoversToSomeoneElse(TxKind kind)
    {
        var random = new Random(99 + (int)kind);
        var domain = RollupDomain.Create(31337, Contract);
        var key = TransactionSamples.RandomKey(random);
        var signed = TransactionSigning.Sign(TransactionSamples.Random(random, kind, key.Address), key, domain);

        Assert.Equal(SignatureError.None, TransactionSigning.TryRecoverSigner(signed, domain, out var signer));
        Assert.Equal(key.Address, signer);

        var tampered = signed with { Nonce = signed.Nonce + 1 };
        Assert.Equal(SignatureError.None, TransactionSigning.TryRecoverSigner(tampered, domain, out signer));
        Assert.NotEqual(key.Address, signer);

        Assert.Equal(SignatureError.BadScalar, TransactionSigning.TryRecoverSigner(signed with { Signature = default }, domain, out _));
    }

    [Fact]
    public void Sign_WithAnotherKey_RecoversToThatKey()
    {
        var random = new Random(5);
        var domain = RollupDomain.Create(31337, Contract);
        var account = TransactionSamples.RandomKey(random);
        var other = TransactionSamples.RandomKey(random);
        var signed = TransactionSigning.Sign(TransactionSamples.Random(random, TxKind.Withdraw, account.Address), other, domain);
        Assert.Equal(SignatureError.None, TransactionSigning.TryRecoverSigner(signed, domain, out var signer));
        Assert.Equal(other.Address, signer);
    }

    [Fact]
    public void PlaceOrderBuilder_IsAnOrderTransaction()
    {
        var domain = RollupDomain.Create(31337, Contract);
        var order = new PlaceOrder(Contract, 7, true, 1_000_000, 25, OrderKind.Market, TimeInForce.Ioc, true, 42, 9);
        var tx = order.ToTransaction();
        Assert.Equal(
            new Transaction
            {
                Kind = TxKind.PlaceOrder, Account = Contract, Market = 7, IsBuy = true, Price = 1_000_000, Size = 25,
                OrderKind = OrderKind.Market, TimeInForce = TimeInForce.Ioc, ReduceOnly = true, ClientOrderId = 42, Nonce = 9,
            },
            tx);
        Assert.Equal(TransactionSigning.SigningDigest(tx, domain), order.SigningDigest(domain));
    }

    [Fact]
    public void StructHashAndDigest_NonAdminKinds_AllocateNothing()
    {
        var random = new Random(3);
        var domain = RollupDomain.Create(31337, Contract);
        var transactions = PrimaryTypes.Keys.Where(k => !k.CarriesMarketParams()).Select(k => TransactionSamples.Random(random, k)).ToArray();
        foreach (var tx in transactions)
        {
            TransactionSigning.SigningDigest(tx, domain);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 100; round++)
        {
            foreach (ref readonly var tx in transactions.AsSpan())
            {
                TransactionSigning.StructHash(tx);
                TransactionSigning.SigningDigest(tx, domain);
            }
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Dictionary<string, IReadOnlyList<TypedDataField>> DocumentedEncoderTypes() =>
        DocumentedTypes.ToDictionary(
            t => t.Key,
            t => (IReadOnlyList<TypedDataField>)t.Value.Select(f => new TypedDataField(f.Name, f.Type)).ToList());

    /// <summary>Reads <c>Name(type name,...)Name2(...)</c> back into type definitions.</summary>
    private static Dictionary<string, IReadOnlyList<TypedDataField>> ParseEncodedType(string encoded)
    {
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>();
        var rest = encoded;
        while (rest.Length > 0)
        {
            var open = rest.IndexOf('(', StringComparison.Ordinal);
            var close = rest.IndexOf(')', StringComparison.Ordinal);
            Assert.True(open > 0 && close > open, $"malformed type string '{encoded}'");
            var members = rest[(open + 1)..close];
            types.Add(rest[..open], members.Split(',').Select(member =>
            {
                var parts = member.Split(' ');
                Assert.Equal(2, parts.Length);
                return new TypedDataField(parts[1], parts[0]);
            }).ToList());
            rest = rest[(close + 1)..];
        }
        return types;
    }

    internal static JsonObject TypesJson(string primaryType)
    {
        var types = new JsonObject { [primaryType] = FieldsJson(primaryType) };
        if (DocumentedTypes[primaryType].Any(f => f.Type == "MarketParams"))
        {
            types["MarketParams"] = FieldsJson("MarketParams");
        }
        if (DocumentedTypes[primaryType].Any(f => f.Type == "BulkItem[]"))
        {
            types["BulkItem"] = FieldsJson("BulkItem");
        }
        return types;
    }

    private static JsonArray FieldsJson(string type) =>
        new(DocumentedTypes[type].Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }).ToArray());

    internal static JsonObject DomainJson(Eip712Domain domain) => new()
    {
        ["name"] = RollupDomain.Name,
        ["version"] = RollupDomain.Version,
        ["chainId"] = domain.ChainId.ToString(CultureInfo.InvariantCulture),
        ["verifyingContract"] = domain.VerifyingContract.ToChecksumString(),
    };

    /// <summary>The message as eth_signTypedData_v4 JSON: the members of the kind's documented type, by name.</summary>
    internal static JsonObject Message(in Transaction tx)
    {
        var message = new JsonObject();
        foreach (var (name, _) in DocumentedTypes[PrimaryTypes[tx.Kind]])
        {
            message[name] = name switch
            {
                "account" => tx.Account.ToChecksumString(),
                "market" => tx.Market,
                "isBuy" => tx.IsBuy,
                "price" => Text(tx.Price),
                "size" => Text(tx.Size),
                "kind" => (byte)tx.OrderKind,
                "timeInForce" => (byte)tx.TimeInForce,
                "reduceOnly" => tx.ReduceOnly,
                "clientOrderId" => Text(tx.ClientOrderId),
                "orderId" => Text(tx.OrderId),
                "amount" => Text(tx.Amount),
                "toMarket" => tx.ToMarket,
                "timestamp" => Text(tx.Timestamp),
                "params" => ParamsJson(tx.Params!),
                "items" => ItemsJson(tx.Market, tx.Items!),
                "nonce" => Text(tx.Nonce),
                _ => throw new InvalidOperationException($"no value for member '{name}'"),
            };
        }
        return message;
    }

    private static JsonArray ItemsJson(uint market, ValueArray<BulkItem> items) => new(items.Select(item => (JsonNode)new JsonObject
    {
        ["market"] = market,
        ["action"] = (byte)item.Action,
        ["orderId"] = Text(item.OrderId),
        ["isBuy"] = item.IsBuy,
        ["price"] = Text(item.Price),
        ["size"] = Text(item.Size),
        ["kind"] = (byte)item.OrderKind,
        ["timeInForce"] = (byte)item.TimeInForce,
        ["reduceOnly"] = item.ReduceOnly,
        ["clientOrderId"] = Text(item.ClientOrderId),
    }).ToArray());

    private static JsonObject ParamsJson(MarketParams p) => new()
    {
        ["symbol"] = p.Symbol,
        ["tickSize"] = Text(p.TickSize),
        ["lotSize"] = Text(p.LotSize),
        ["sizeScale"] = Text(p.SizeScale),
        ["initialMarginPpm"] = p.InitialMarginPpm,
        ["maintenanceMarginPpm"] = p.MaintenanceMarginPpm,
        ["makerFeePpm"] = p.MakerFeePpm,
        ["takerFeePpm"] = p.TakerFeePpm,
        ["priceBandPpm"] = p.PriceBandPpm,
        ["maxOpenOrdersPerAccount"] = p.MaxOpenOrdersPerAccount,
        ["fundingIntervalBlocks"] = p.FundingIntervalBlocks,
        ["fundingCapPpm"] = p.FundingCapPpm,
        ["liquidationFeePpm"] = p.LiquidationFeePpm,
        ["haltMovePpm"] = p.HaltMovePpm,
        ["haltWindowBlocks"] = p.HaltWindowBlocks,
        ["maxBookOrders"] = p.MaxBookOrders,
        ["maxBookLevels"] = p.MaxBookLevels,
        ["oracleSigners"] = new JsonArray(p.OracleSigners.Select(a => (JsonNode)a.ToChecksumString()).ToArray()),
    };

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
