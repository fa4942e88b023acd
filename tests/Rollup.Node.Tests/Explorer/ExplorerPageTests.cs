using System.Diagnostics;
using System.Text;
using Grpc.Net.Client;
using Rollup.Api;
using Rollup.Execution.Transactions;
using Rollup.Node.Devnet;
using Rollup.Primitives.Signatures;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Tests.Explorer;

/// <summary>
/// The devnet's explorer page in a real browser: Debian's chromium, headless, driven by playwright-core from
/// tests/interop/browser/explorer.mjs. The page loads with no console or page error and lists the devnet's markets;
/// a trade this test then places over gRPC appears on it live, with the resting bid it left in the book, and the
/// buyer's account shows its position.
/// With ROLLUP_EXPLORER_SCREENSHOT=FILE set the script saves the page as it then is (docs/explorer.png).
/// </summary>
public class ExplorerPageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_page_lists_the_devnet_markets_and_shows_a_trade_placed_after_it_opened()
    {
        await using var devnet = await DevnetUnderTest.StartAsync(Deadline);
        var arguments = new List<string>
        {
            RepositoryPaths.Combine("tests", "interop", "browser", "explorer.mjs"), "--url", $"http://127.0.0.1:{devnet.HttpPort}/",
            "--markets", "BTC-PERP,ETH-PERP,SOL-PERP", "--expect-trades", "--account", PrivateKey.Parse(DevnetRunner.TraderKeys[0]).Address.ToString(),
        };
        if (Environment.GetEnvironmentVariable("ROLLUP_EXPLORER_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            arguments.AddRange(["--screenshot", Path.GetFullPath(screenshot)]);
        }
        using var browser = BrowserScript.Start(arguments);
        try
        {
            await browser.WaitForLineAsync("\"ready\":true", Deadline);

            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{devnet.GrpcPort}");
            var trade = await PlaceTradeAsync(channel, devnet.Settlement());

            browser.WriteLine(System.Text.Json.JsonSerializer.Serialize(trade));
            var exited = await browser.WaitForExitAsync(Deadline);
            Assert.True(exited && browser.ExitCode == 0, $"the page check failed (exit {(exited ? browser.ExitCode : "none: timed out")}):\n{browser.Output}\ndevnet:\n{Tail(devnet.Output)}");
            Assert.Contains("\"ok\":true", browser.Output, StringComparison.Ordinal);

            await BatchesReachFinalityOnBothNodesAsync(devnet, trade);

            // The validator serves the same page from what it rebuilt from L1.
            var validator = ExternalProcess.Run("node", [arguments[0], "--url", $"http://127.0.0.1:{devnet.HttpPort + 1}/", "--markets", "BTC-PERP,ETH-PERP,SOL-PERP"], workingDirectory: RepositoryPaths.Root, timeout: Deadline);
            Assert.True(validator.ExitCode == 0, $"the validator's page: {validator.Stderr}{validator.Stdout}");
        }
        finally
        {
            browser.Stop();
        }
    }

    /// <summary>
    /// On market 1 at the oracle price rounded to the tick: the second trader rests a sell that the first trader's buy
    /// takes, and the third rests bids and asks a few ticks away that stay in the book. The traders' first transactions
    /// on a fresh devnet: nonce 0 the margin, then the orders.
    /// </summary>
    private static async Task<ExpectedTrade> PlaceTradeAsync(GrpcChannel channel, Rollup.Primitives.Address settlement)
    {
        const uint market = 1;
        const ulong size = 1_230_000; // 0.0123 BTC-PERP, a multiple of the lot
        var query = new P.Query.QueryClient(channel);
        var submission = new P.Submission.SubmissionClient(channel);
        var info = await query.GetMarketAsync(new P.GetMarketRequest { Market = market });
        var tick = info.Params.TickSize;
        var price = info.OraclePrice / tick * tick;
        var restingBid = price - 5 * tick;
        var domain = RollupDomain.Create(31337, settlement);
        var (buyer, seller, bidder) = (PrivateKey.Parse(DevnetRunner.TraderKeys[0]), PrivateKey.Parse(DevnetRunner.TraderKeys[1]), PrivateKey.Parse(DevnetRunner.TraderKeys[2]));

        async Task<P.Ack> Submit(PrivateKey key, Transaction tx)
        {
            var signed = TransactionSigning.Sign(tx with { Account = key.Address }, key, domain);
            var response = await submission.SubmitAsync(new P.SubmitRequest { Transaction = TransactionMapping.ToProto(signed) });
            Assert.NotNull(response.Ack);
            return response.Ack;
        }

        foreach (var key in new[] { buyer, seller, bidder })
        {
            await Submit(key, new Transaction { Kind = TxKind.TransferMargin, Market = market, Amount = 5_000_000_000, ToMarket = true, Nonce = 0 });
        }
        // A few resting levels on both sides, so the book and its depth chart have something to draw.
        var nonce = 1UL;
        foreach (var (isBuy, ticks, lots) in new[] { (true, 5UL, 2UL), (true, 9UL, 5UL), (false, 4UL, 3UL), (false, 8UL, 6UL) })
        {
            await Submit(bidder, new Transaction { Kind = TxKind.PlaceOrder, Market = market, IsBuy = isBuy, Price = isBuy ? price - ticks * tick : price + ticks * tick, Size = lots * size, Nonce = nonce++ });
        }
        await Submit(seller, new Transaction { Kind = TxKind.PlaceOrder, Market = market, IsBuy = false, Price = price, Size = size, Nonce = 1 });
        var buy = await Submit(buyer, new Transaction { Kind = TxKind.PlaceOrder, Market = market, IsBuy = true, Price = price, Size = size, Nonce = 1 });
        // The buy's receipt (UNAVAILABLE while acked but not yet executed): filled in full, in the trade's block.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var located = await query.GetReceiptBySequenceAsync(new P.GetReceiptBySequenceRequest { Sequence = buy.Sequence });
                Assert.True(located.Receipt.Accepted && located.Receipt.FilledSize == size, $"the buy did not trade: {located}");
                return new ExpectedTrade(market, $"{price}", $"{size}", $"{restingBid}", located.BlockNumber);
            }
            catch (Grpc.Core.RpcException unavailable) when (unavailable.StatusCode == Grpc.Core.StatusCode.Unavailable && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50); // the block executes within the block interval
            }
        }
    }

    /// <summary>
    /// GET /v1/batches on the sequencer and the validator: the batch holding the trade's block goes final on L1 (the
    /// devnet's challenge window is ten L1 blocks), both nodes list the same commitments, newest first, with contiguous
    /// block ranges and the L1 transaction that committed each.
    /// </summary>
    private static async Task BatchesReachFinalityOnBothNodesAsync(DevnetUnderTest devnet, ExpectedTrade trade)
    {
        using var http = new HttpClient();
        var parser = new Google.Protobuf.JsonParser(Google.Protobuf.JsonParser.Settings.Default);
        async Task<P.Batches> List(int port) => parser.Parse<P.Batches>(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/v1/batches?limit=50")));
        var deadline = Stopwatch.StartNew();
        P.Batches sequencer;
        while (!(sequencer = await List(devnet.HttpPort)).Batches_.Any(b => b.Status == P.BatchStatus.Final && b.LastBlock >= trade.Block))
        {
            Assert.True(deadline.Elapsed < Deadline, $"no final batch up to block {trade.Block} in {Deadline}: {sequencer}");
            await Task.Delay(250); // polling L1's progress through another process
        }
        Assert.True(sequencer.L1);
        var committed = sequencer.Batches_.Where(b => b.Status != P.BatchStatus.Posted).ToList();
        Assert.Equal(committed.Select(b => b.Index).OrderDescending(), committed.Select(b => b.Index));
        for (var i = 0; i + 1 < committed.Count; i++)
        {
            Assert.Equal(committed[i + 1].LastBlock + 1, committed[i].FirstBlock);
        }
        Assert.All(committed, b => Assert.Equal(32, b.L1TxHash.Length));
        Assert.All(committed, b => Assert.Equal(b.Index < sequencer.FinalBatches ? P.BatchStatus.Final : P.BatchStatus.Committed, b.Status));

        // The node remembers where recent commitments are on L1 to search less; asking for fewer, then for more than
        // it remembers, still finds every one.
        var few = parser.Parse<P.Batches>(await http.GetStringAsync(new Uri($"http://127.0.0.1:{devnet.HttpPort}/v1/batches?limit=2")));
        Assert.Equal(2, few.Batches_.Count);
        var again = await List(devnet.HttpPort);
        Assert.Equal((int)Math.Min(50, again.CommittedBatches), again.Batches_.Count(b => b.Status != P.BatchStatus.Posted));

        var validator = await List(devnet.HttpPort + 1);
        Assert.True(validator.L1);
        foreach (var batch in committed.Where(b => b.Status == P.BatchStatus.Final))
        {
            var same = Assert.Single(validator.Batches_, b => b.Index == batch.Index);
            Assert.Equal((batch.FirstBlock, batch.LastBlock, batch.StateRoot, batch.L1TxHash, P.BatchStatus.Final), (same.FirstBlock, same.LastBlock, same.StateRoot, same.L1TxHash, same.Status));
        }
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    /// <summary>What the browser script waits for, as one JSON line on its stdin (names as it reads them).</summary>
    private sealed record ExpectedTrade(
        [property: System.Text.Json.Serialization.JsonPropertyName("market")] uint Market,
        [property: System.Text.Json.Serialization.JsonPropertyName("price")] string Price,
        [property: System.Text.Json.Serialization.JsonPropertyName("size")] string Size,
        [property: System.Text.Json.Serialization.JsonPropertyName("restingBid")] string RestingBid,
        [property: System.Text.Json.Serialization.JsonIgnore] ulong Block);

    /// <summary>The node script with stdin to write to and its output collected; stopped by its PID with its chromium.</summary>
    private sealed class BrowserScript : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private BrowserScript(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public static BrowserScript Start(IEnumerable<string> arguments)
        {
            var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryPaths.Root };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            return new BrowserScript(Process.Start(start)!);
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public int ExitCode => _process.ExitCode;

        public async Task WaitForLineAsync(string fragment, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (!Output.Contains(fragment, StringComparison.Ordinal))
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"the browser script exited ({_process.ExitCode}) before '{fragment}':\n{Output}");
                }
                Assert.True(deadline.Elapsed < timeout, $"no '{fragment}' from the browser script in {timeout}:\n{Output}");
                await Task.Delay(100); // polling another process's output
            }
        }

        public void WriteLine(string line)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }

        public async Task<bool> WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Stop()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true); // the script and the chromium it started
            }
        }

        public void Dispose() => _process.Dispose();

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
