using System.Net;
using Google.Protobuf;
using Grpc.Net.Client;
using Rollup.Api;
using Rollup.Execution.Transactions;
using Rollup.Node.Tests.Http;
using Rollup.Primitives;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests.Explorer;

/// <summary>
/// What the explorer page stands on, against a real node process over HTTP/1.1: its files, the streamed routes
/// (JSON transcoding of the Streams service) and the batch list of a node without L1.
/// </summary>
public sealed class ExplorerRoutesTests(HttpApiNode fixture) : IClassFixture<HttpApiNode>
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    [Fact]
    public async Task The_root_redirects_to_the_page_whose_files_are_served_with_their_types()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var root = await noRedirects.GetAsync(fixture.Url("/"));
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/explorer/", root.Headers.Location?.OriginalString);

        foreach (var (path, type, content) in new[]
        {
            ("/explorer/", "text/html", "<script type=\"module\" src=\"explorer.js\"></script>"),
            ("/explorer/index.html", "text/html", "<title>Rollup explorer</title>"),
            ("/explorer/explorer.js", "text/javascript", "/v1/streams/blocks"),
            ("/explorer/explorer.css", "text/css", "#depth"),
        })
        {
            using var response = await fixture.Http.GetAsync(fixture.Url(path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var missing = await fixture.Http.GetAsync(fixture.Url("/explorer/missing.js"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_block_stream_is_an_open_http_response_with_one_json_object_per_block()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await fixture.Http.GetAsync(fixture.Url("/v1/streams/blocks"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("application/json", stream.Content.Headers.ContentType?.MediaType);

        // A block after the stream opened: the trader's withdrawal, submitted over gRPC.
        var signed = TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = HttpApiNode.Trader.Address, Amount = 3, Nonce = 0 }, HttpApiNode.Trader, RollupDomain.Create(31337, default));
        using var channel = GrpcChannel.ForAddress(fixture.Node.Address);
        var ack = (await new P.Submission.SubmissionClient(channel).SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(signed) })).Ack;

        // The transcoder ends each message with a newline; the page's reader splits by braces and does not rely on it.
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        var seen = new List<ulong>();
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line); // the stream stays open: it ends only with the node
            var block = Parser.Parse<P.Block>(line);
            seen.Add(block.Number);
            if (block.Receipts.Any(r => r.TxHash == ack.TxHash))
            {
                Assert.True(block.Receipts.Single(r => r.TxHash == ack.TxHash).Accepted);
                Assert.Equal(block, Parser.Parse<P.Block>(await fixture.Http.GetStringAsync(fixture.Url($"/v1/blocks/{block.Number}"))));
                break;
            }
        }
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task The_trade_and_book_streams_are_routes_that_refuse_a_missing_market_with_a_404()
    {
        foreach (var path in new[] { "/v1/streams/markets/9/trades", "/v1/streams/markets/9/book" })
        {
            using var response = await fixture.Http.GetAsync(fixture.Url(path));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("market 9", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_node_without_L1_lists_no_batches_and_says_it_has_no_L1()
    {
        var batches = Parser.Parse<P.Batches>(await fixture.Http.GetStringAsync(fixture.Url("/v1/batches")));
        Assert.False(batches.L1);
        Assert.Empty(batches.Batches_);
        using var channel = GrpcChannel.ForAddress(fixture.Node.Address);
        Assert.Equal(batches, await new P.Query.QueryClient(channel).ListBatchesAsync(new P.ListBatchesRequest { Limit = 5 }));
    }
}
