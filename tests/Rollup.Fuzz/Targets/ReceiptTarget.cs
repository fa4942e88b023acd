using System.Text;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Newtonsoft.Json;
using Rollup.Bridge.L1;

namespace Rollup.Fuzz.Targets;

/// <summary>
/// A transaction receipt as an L1 node answers eth_getTransactionReceipt (the poster and the withdrawal tool read them):
/// JSON that Nethereum's serializer refuses must be an L1 failure the client reports (L1Errors translates it), and JSON that parses converts to an <see cref="L1Receipt"/> or is refused with
/// <see cref="L1ProtocolException"/>.
/// </summary>
public sealed class ReceiptTarget : FuzzTarget
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:8545");
    private static readonly JsonSerializerSettings Settings = DefaultJsonSerializerSettingsFactory.BuildDefaultJsonSerializerSettings();

    public override string Name => "l1receipt";

    public override IReadOnlyList<byte[]> Seeds { get; } =
    [
        Encoding.UTF8.GetBytes("""
            {"type":"0x2","status":"0x1","cumulativeGasUsed":"0x5208","logs":[],"logsBloom":"0x00","transactionHash":"0x37eac23662b2822928a6dc8fc09af37777c9aac186a0e0f94fa1352b368b1bba","transactionIndex":"0x0","blockHash":"0x1d52a8aabe330df34143afa670bb145e3b1ecfa874e1bec292eca718366f13d3","blockNumber":"0x2","gasUsed":"0x5208","effectiveGasPrice":"0x3b9aca00","from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","contractAddress":null}
            """),
        Encoding.UTF8.GetBytes("""
            {"status":"0x0","logs":[{"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","topics":["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"],"data":"0x","blockNumber":"0x9","logIndex":"0x0"}],"transactionHash":"0x54b95820b2dbcbd9c06aa2ae4f2f0e681b3be3a32a36aa7701d8903da7edf896","blockHash":"0x5c663f4010bad9916df4597ea4b564ec502ade67d6e781d81abf9cb0f94f58c3","blockNumber":"0x9","gasUsed":"0x1d4c0","from":"0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc","to":null,"contractAddress":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}
            """),
    ];

    public override FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        TransactionReceipt? receipt;
        try
        {
            receipt = JsonConvert.DeserializeObject<TransactionReceipt>(Encoding.UTF8.GetString(input), Settings);
        }
        catch (Exception error) when (error is not FuzzFindingException)
        {
            // Inside the client this is Nethereum's RPC layer failing to read the answer: L1Errors must make it an L1 failure.
            return L1Errors.Translate("eth_getTransactionReceipt", Endpoint, TimeSpan.FromSeconds(1), error) is L1Exception
                ? FuzzOutcome.Rejected
                : throw new FuzzFindingException($"an unparsable receipt escapes the L1 client as {error.GetType().Name}: {error.Message}");
        }
        if (receipt is null)
        {
            return FuzzOutcome.Rejected; // "null": the client's "no receipt yet"
        }
        try
        {
            _ = L1Receipt.FromNethereum(receipt);
            return FuzzOutcome.Accepted;
        }
        catch (L1ProtocolException)
        {
            return FuzzOutcome.Rejected;
        }
    }
}
