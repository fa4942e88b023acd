using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// A client that resets its stream is not a server failure (issue 15's flood logged a stack trace for every one): on
/// real Kestrel, streams reset mid-flight leave nothing at warning or above in the host's log, and the node goes on.
/// </summary>
public sealed class ClientResetTests
{
    private static readonly PrivateKey Trader = ChainFlowGenerator.KeyOf(3);
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };

    [Fact]
    public async Task SubmitStream_ResetByTheClientMidStream_LogsNothingAtWarningAndTheNodeGoesOn()
    {
        using var directory = new TempDirectory("rollup-reset");
        var logs = new CapturedLogs(LogLevel.Warning);
        await using var sequencer = Sequencer.Start(new SequencerOptions { DataDir = directory.Path, Engine = Engine, Key = ChainFlowGenerator.KeyOf(0xFFF9), BlockInterval = TimeSpan.FromMilliseconds(10) }, NullLogger.Instance);
        var api = ApiServices.Of(new SubmissionService(sequencer), new QueryService(sequencer), new StreamsService(sequencer));
        var host = await ApiTestHost.StartAsync(api.Register, api.Map, new ApiTestHostOptions { Logs = logs });
        var domain = RollupDomain.Create(Engine.ChainId, Engine.SettlementContract);
        var nonce = 0UL;
        P.SubmitRequest Next() => new()
        {
            RequestId = nonce,
            Transaction = TransactionMapping.ToProto(TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = Trader.Address, Amount = 1, Nonce = nonce++ }, Trader, domain)),
        };
        try
        {
            using var channel = host.CreateChannel();
            var submission = new P.Submission.SubmissionClient(channel);
            for (var round = 0; round < 5; round++)
            {
                using var reset = new CancellationTokenSource();
                using var call = submission.SubmitStream(cancellationToken: reset.Token);
                await call.RequestStream.WriteAsync(Next());
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
                await call.RequestStream.WriteAsync(Next());
                reset.Cancel(); // RST_STREAM with the request still open and a response possibly in flight
            }
            // The node goes on: a unary call after the resets is answered.
            Assert.NotNull((await submission.SubmitAsync(Next())).Ack);
        }
        finally
        {
            await host.DisposeAsync(); // waits for the reset calls' handlers to finish (and to log, if they would)
        }
        Assert.True(logs.Entries.Count == 0, string.Join("\n", logs.Entries));
    }
}
