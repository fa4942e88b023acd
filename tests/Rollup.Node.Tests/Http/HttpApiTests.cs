using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests.Http;

/// <summary>The HTTP/JSON API of a real node process (Kestrel on loopback), called with HttpClient over HTTP/1.1.</summary>
public sealed class HttpApiTests(HttpApiNode fixture) : IClassFixture<HttpApiNode>
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    private static string TraderHex => HttpApiNode.Trader.Address.ToString();

    [Fact]
    public async Task Each_read_route_answers_over_http_1_1_what_its_grpc_twin_answers()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Node.Address);
        var query = new P.Query.QueryClient(channel);
        var account = new P.GetAccountRequest { Account = ByteString.CopyFrom(HttpApiNode.Trader.Address.Bytes) };

        var http = await GetAsync<P.Account>($"/v1/accounts/{TraderHex}");
        Assert.Equal(HttpApiNode.Deposit, http.FreeBalance);
        Assert.Equal(WithoutBlock(await query.GetAccountAsync(account)), WithoutBlock(http));

        var proof = await GetAsync<P.AccountProof>($"/v1/accounts/{TraderHex.ToLowerInvariant()}/proof");
        var grpcProof = await query.GetAccountProofAsync(account);
        Assert.Equal(grpcProof.Record, proof.Record);
        Assert.Equal(grpcProof.Path, proof.Path);

        // Blocks and receipts do not change once executed: the same message field for field.
        Assert.Equal(await query.GetBlockAsync(new P.GetBlockRequest { Number = 1 }), await GetAsync<P.Block>("/v1/blocks/1"));
        Assert.Equal(await query.GetReceiptAsync(new P.GetReceiptRequest { BlockNumber = 1, Index = 0 }), await GetAsync<P.TxReceipt>("/v1/blocks/1/receipts/0"));
        Assert.Equal(await query.ListMarketsAsync(new P.ListMarketsRequest()), await GetAsync<P.Markets>("/v1/markets"));
        Assert.Equal(32, (await GetAsync<P.StateRoot>("/v1/state-root")).StateRoot_.Length);
    }

    [Theory]
    [InlineData("/v1/markets/abc", "market: 'abc' is not a whole number from 0 to 4294967295")]
    [InlineData("/v1/blocks/-1", "number: '-1' is not a whole number from 0 to 18446744073709551615")]
    [InlineData("/v1/blocks/18446744073709551616", "number: '18446744073709551616' is not a whole number")]
    [InlineData("/v1/blocks/1/receipts/x", "index: 'x' is not a whole number")]
    [InlineData("/v1/markets/1/book?depth=ten", "depth: 'ten' is not a whole number")]
    [InlineData("/v1/markets/1/book?full=yes", "full: 'yes' is not true or false")]
    [InlineData("/v1/accounts/0x1234", "address '0x1234' is not an address")]
    [InlineData("/v1/accounts/nothex0000000000000000000000000000000000", "is not an address")]
    [InlineData("/v1/receipts/by-hash/0xabc", "hash '0xabc' is not a transaction hash")]
    [InlineData("/v1/receipts/by-sequence/first", "sequence: 'first' is not a whole number")]
    public async Task A_bad_path_or_query_parameter_is_a_400_that_names_it(string path, string reason)
    {
        var (status, error) = await ErrorAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(3, error.GetProperty("code").GetInt32()); // INVALID_ARGUMENT
        Assert.Contains(reason, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_does_not_exist_is_a_404_with_a_sentence()
    {
        var (status, error) = await ErrorAsync("/v1/markets/77");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(5, error.GetProperty("code").GetInt32()); // NOT_FOUND
        Assert.Equal("market 77 does not exist", error.GetProperty("message").GetString());

        (status, error) = await ErrorAsync($"/v1/accounts/{ChainFlowGenerator.AddressOf(0x4712)}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("has no state", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, error) = await ErrorAsync($"/v1/receipts/by-hash/0x{new string('0', 64)}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no executed transaction has hash", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, error) = await ErrorAsync("/v1/receipts/by-sequence/1000000");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no transaction has sequence 1000000 yet", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var noRoute = await fixture.Http.GetAsync(fixture.Url("/v1/no-such-thing"));
        Assert.Equal(HttpStatusCode.NotFound, noRoute.StatusCode);
    }

    [Fact]
    public async Task Submit_posts_a_signed_transaction_as_json_and_gets_the_ack_then_a_replay_is_a_409()
    {
        var domain = RollupDomain.Create(31337, default);
        var signed = TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = HttpApiNode.Trader.Address, Amount = 5, Nonce = 0 }, HttpApiNode.Trader, domain);
        // The body as a client writes it by hand: proto3 JSON, bytes in base64, 64-bit numbers as strings.
        var body = $$"""
            {"transaction": {"withdraw": {"account": "{{Convert.ToBase64String(HttpApiNode.Trader.Address.Bytes)}}", "amount": "5", "nonce": "0"},
                             "signature": "{{Convert.ToBase64String(signed.Signature.Bytes)}}"},
             "requestId": "41"}
            """;
        using var accepted = await PostAsync("/v1/submit", body);
        var text = await accepted.Content.ReadAsStringAsync();
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, text);
        var response = Parser.Parse<P.SubmitResponse>(text);
        Assert.Equal(41UL, response.RequestId);
        Assert.Equal(TransactionHash.Of(signed), new Hash256(response.Ack.TxHash.Span));
        Assert.Equal(65, response.Ack.Signature.Length);

        // Its receipt by the ack's sequence (503 while acked but not yet in a block: retry), then by its hash in hex.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage bySequence;
        while ((bySequence = await fixture.Http.GetAsync(fixture.Url($"/v1/receipts/by-sequence/{response.Ack.Sequence}"))).StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the withdrawal never reached a block");
            Assert.Contains("acked but not yet in an executed block; retry", await bySequence.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            bySequence.Dispose();
        }
        var located = Parser.Parse<P.LocatedReceipt>(await bySequence.Content.ReadAsStringAsync());
        bySequence.Dispose();
        Assert.Equal(response.Ack.Sequence, located.Sequence);
        Assert.Equal(response.Ack.TxHash, located.Receipt.TxHash);
        Assert.True(located.Receipt.Accepted);
        var byHash = await GetAsync<P.LocatedReceipt>($"/v1/receipts/by-hash/{TransactionHash.Of(signed)}");
        Assert.Equal(located, byHash);
        var block = await GetAsync<P.Block>($"/v1/blocks/{located.BlockNumber}");
        Assert.Equal(located.Receipt, block.Receipts[(int)located.Index]);

        using var replayed = await PostAsync("/v1/submit", body);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode); // ALREADY_EXISTS
        Assert.Contains("nonce", await replayed.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var malformed = await PostAsync("/v1/submit", "{\"transaction\": ");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public void Curl_reads_an_account_over_plain_http()
    {
        var curl = ExternalProcess.Run("curl", ["-sS", "-w", "\n%{http_code} %{http_version}", fixture.Url($"/v1/accounts/{TraderHex}").ToString()]);
        Assert.True(curl.ExitCode == 0, curl.Stderr);
        var lines = curl.Stdout.Split('\n');
        Assert.Equal("200 1.1", lines[^1]);
        using var json = JsonDocument.Parse(string.Join('\n', lines[..^1]));
        Assert.Equal(HttpApiNode.Deposit, json.RootElement.GetProperty("freeBalance").GetInt64());
        Assert.Equal(HttpApiNode.Trader.Address.Bytes.ToArray(), json.RootElement.GetProperty("account").GetBytesFromBase64());
    }

    private static P.Account WithoutBlock(P.Account account)
    {
        var copy = account.Clone();
        copy.BlockNumber = 0;
        return copy;
    }

    private async Task<T> GetAsync<T>(string path)
        where T : IMessage<T>, new()
    {
        using var response = await fixture.Http.GetAsync(fixture.Url(path));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return Parser.Parse<T>(text);
    }

    private async Task<(HttpStatusCode Status, JsonElement Error)> ErrorAsync(string path)
    {
        using var response = await fixture.Http.GetAsync(fixture.Url(path));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        fixture.Http.PostAsync(fixture.Url(path), new StringContent(json, Encoding.UTF8, "application/json"));
}
