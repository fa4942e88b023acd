using System.Text.Json.Nodes;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.L1;

public class AbiSignatureTests
{
    [Theory]
    [InlineData("uint", "uint256")]
    [InlineData("int", "int256")]
    [InlineData("uint8", "uint8")]
    [InlineData("bytes32[]", "bytes32[]")]
    [InlineData("tuple(uint64 a, bytes32 b)[]", "(uint64,bytes32)[]")]
    [InlineData(" ( uint64 , ( bool , string ) [2] ) [] ", "(uint64,(bool,string)[2])[]")]
    [InlineData("address[3][]", "address[3][]")]
    [InlineData("()", "()")]
    public void Parse_Type_GivesCanonicalName(string text, string canonical)
    {
        var type = AbiType.Parse(text);
        Assert.Equal(canonical, type.CanonicalName);
        Assert.Equal(type, AbiType.Parse(canonical));
    }

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("uint064")]
    [InlineData("int0")]
    [InlineData("bytes0")]
    [InlineData("bytes33")]
    [InlineData("fixed128x18")]
    [InlineData("function")]
    [InlineData("uint64[")]
    [InlineData("uint64[0]")]
    [InlineData("(uint64")]
    [InlineData("(uint64,)")]
    [InlineData("uint64 x")]
    [InlineData("")]
    public void Parse_InvalidType_Throws(string text)
    {
        Assert.Throws<AbiException>(() => AbiType.Parse(text));
    }

    [Fact]
    public void Selectors_WellKnownSignatures_MatchPublishedValues()
    {
        // ERC-20 (EIP-20) selectors and Transfer topic, and Solidity's built-in errors, as published.
        Assert.Equal("0xa9059cbb", Hex.ToHex(AbiFunction.Parse("transfer(address to, uint256 amount) returns (bool)").Selector));
        Assert.Equal("0x70a08231", Hex.ToHex(AbiFunction.Parse("function balanceOf(address)").Selector));
        Assert.Equal("0x095ea7b3", Hex.ToHex(AbiFunction.Parse("approve(address spender, uint value)").Selector));
        Assert.Equal(
            Hash256.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"),
            AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)").Topic0);
        Assert.Equal("0x08c379a0", Hex.ToHex(AbiError.ErrorString.Selector));
        Assert.Equal("0x4e487b71", Hex.ToHex(AbiError.Panic.Selector));
    }

    [Fact]
    public void Parse_ContractSignatures_AgreeWithEthers()
    {
        (string Kind, string Signature)[] items =
        [
            ("function", "function deposit(uint64 amount, address l2Account)"),
            ("function", "postBatchData(uint64 batchIndex, uint32 part, bytes calldata data)"),
            ("function", "commitBatch((uint64 batchIndex, uint64 firstBlock, uint64 lastBlock, bytes32 batchDataHash, bytes32 prevStateRoot, bytes32 newStateRoot, bytes32 marketRootsRoot, bytes32 withdrawalsRoot, uint64 depositCursor) c)"),
            ("function", "claimWithdrawal(uint64 batchIndex, uint64 l2Block, uint32 txIndex, address account, uint64 amount, bytes32[] siblings)"),
            ("function", "isFinalized(uint64 batchIndex) returns (bool)"),
            ("function", "nested((uint8,(int256,string)[2])[] memory x, bool[3] y, bytes4 z)"),
            ("event", "event DepositQueued(uint64 indexed index, address indexed l2Account, address indexed from, uint64 amount, uint64 l1Block)"),
            ("event", "BatchDataPosted(uint64 indexed batchIndex, uint32 part, bytes32 partHash, bytes32 accumulator)"),
            ("event", "Frozen(uint64 lastFinalBatch, bytes32 escapeStateRoot)"),
            ("error", "error OverdueDeposit(uint64 index)"),
            ("error", "Unauthorized()"),
        ];
        var answer = L1Oracle.Ask(new JsonObject
        {
            ["op"] = "fragments",
            ["items"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["kind"] = i.Kind, ["signature"] = i.Signature }).ToArray()),
        });
        var results = answer.GetProperty("results").EnumerateArray().ToArray();
        for (var i = 0; i < items.Length; i++)
        {
            var (canonical, hash) = items[i].Kind switch
            {
                "function" => Ours(AbiFunction.Parse(items[i].Signature)),
                "event" => (AbiEvent.Parse(items[i].Signature).CanonicalSignature, AbiEvent.Parse(items[i].Signature).Topic0.ToString()),
                _ => (AbiError.Parse(items[i].Signature).CanonicalSignature, Hex.ToHex(AbiError.Parse(items[i].Signature).Selector)),
            };
            Assert.Equal(results[i].GetProperty("canonical").GetString(), canonical);
            Assert.Equal(results[i].GetProperty("hash").GetString(), hash);
        }
    }

    [Fact]
    public void Parse_Signature_KeepsNamesAndIndexedFlags()
    {
        var deposit = AbiEvent.Parse("DepositQueued(uint64 indexed index, address indexed l2Account, address indexed from, uint64 amount, uint64 l1Block)");
        Assert.Equal(["index", "l2Account", "from", "amount", "l1Block"], deposit.Parameters.Select(p => p.Name));
        Assert.Equal([true, true, true, false, false], deposit.Parameters.Select(p => p.Indexed));

        var function = AbiFunction.Parse("isFinalized(uint64 batchIndex) returns (bool finalized)");
        Assert.Equal("isFinalized(uint64)", function.CanonicalSignature);
        Assert.Equal(AbiType.Bool, Assert.Single(function.Outputs).Type);

        var tuple = Assert.IsType<AbiTupleType>(AbiType.Parse("(uint64 batchIndex, bytes32 root)"));
        Assert.Equal(["batchIndex", "root"], tuple.Names);
    }

    [Theory]
    [InlineData("function f(uint64 indexed a)")]
    [InlineData("event E(uint8 indexed a, uint8 indexed b, uint8 indexed c, uint8 indexed d)")]
    [InlineData("error E(uint8 indexed a)")]
    [InlineData("f(uint64 a b)")]
    [InlineData("f(uint64) returns")]
    [InlineData("f uint64")]
    public void Parse_InvalidSignature_Throws(string signature)
    {
        Assert.Throws<AbiException>(() =>
        {
            if (signature.StartsWith("event", StringComparison.Ordinal))
            {
                AbiEvent.Parse(signature);
            }
            else if (signature.StartsWith("error", StringComparison.Ordinal))
            {
                AbiError.Parse(signature);
            }
            else
            {
                AbiFunction.Parse(signature);
            }
        });
    }

    private static (string, string) Ours(AbiFunction function) => (function.CanonicalSignature, Hex.ToHex(function.Selector));
}
