using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Api;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Sequencer.Api;
using Rollup.Testing;
using P = Rollup.Proto.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Rollup.Sequencer.Tests;

/// <summary>Failure is loud: a background loop that dies stops admission, says which loop and why, and health turns NOT_SERVING.</summary>
public sealed class LoopFaultTests : IDisposable
{
    private static readonly EngineOptions Engine = TestChain.Engine;
    private static readonly Eip712Domain Domain = TestChain.Domain;
    private static readonly PrivateKey Alice = ChainFlowGenerator.KeyOf(1);

    private readonly TempDirectory _directory = new("rollup-loop-fault");

    [Fact]
    public async Task BlockProducerFails_AdmissionRefusesWithTheReason_AndTheFaultIsReported()
    {
        await using var sequencer = Sequencer.Start(Options(), NullLogger.Instance);
        sequencer.BeforeExecute = _ => throw new IOException("injected: disk gone");
        await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100 });

        var fault = await sequencer.Faults.Faulted.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new LoopFault("block producer", "injected: disk gone"), fault);
        var refused = await sequencer.SubmitAsync(Withdraw(0));
        Assert.Equal(SubmitStatus.Unavailable, refused.Status);
        Assert.Contains("block producer failed: injected: disk gone", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(1UL, sequencer.LoggedTransactions);
        Assert.Contains("rollup_loop_failed{loop=\"block producer\"} 1", sequencer.RenderMetrics(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockProducerFails_RestartExecutesWhatWasDurable()
    {
        using var gate = new ManualResetEventSlim();
        await using (var sequencer = Sequencer.Start(Options(), NullLogger.Instance))
        {
            // The producer cuts the deposit's block and waits here; the withdrawal is acked meanwhile; then it fails.
            sequencer.BeforeExecute = _ =>
            {
                gate.Wait();
                throw new IOException("injected");
            };
            await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100 });
            Assert.Equal(SubmitStatus.Accepted, (await sequencer.SubmitAsync(Withdraw(0))).Status);
            gate.Set();
            await sequencer.Faults.Faulted.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // Recovery executes the logged block; the acked withdrawal is the next block (which may already be done).
        await using var restarted = Sequencer.Start(Options(), NullLogger.Instance);
        var blocks = restarted.Subscribe();
        long Free() => restarted.Read(e => e.TryGetFreeBalance(Alice.Address, out var free) ? free : -1);
        if (Free() != 99)
        {
            var block = await blocks.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(TxStatus.Accepted, Assert.Single(block.Receipts).Status);
        }
        Assert.Null(restarted.Faults.First);
        Assert.Equal(99, Free());
        Assert.Equal(2UL, restarted.LoggedTransactions);
    }

    [Fact]
    public void EngineFailsMidBlock_ReadsAndSubscriptionsAreUnavailable_NotTheHalfAppliedState()
    {
        using var chain = new ExecutedChain(ExecutionEngine.Open(_directory.Combine("state"), Engine));
        var subscription = chain.Subscribe();
        Assert.Throws<ArgumentException>(() => chain.Execute(new Block(7, 1, [])));

        var read = Assert.Throws<ChainUnavailableException>(() => chain.Read(e => e.Head.BlockNumber));
        Assert.Contains("restarts", read.Message, StringComparison.Ordinal);
        Assert.True(subscription.Completion.IsFaulted);
        Assert.IsType<ChainUnavailableException>(subscription.Completion.Exception!.InnerException);
        Assert.Throws<ChainUnavailableException>(() => chain.Execute(new Block(1, 1, [])));
    }

    [Fact]
    public async Task LoopFails_HealthNotServing_AndReadsAnswerUnavailable()
    {
        var faults = new LoopFaults();
        using var chain = new ExecutedChain(ExecutionEngine.Open(_directory.Combine("state"), Engine));
        await using var server = await ApiTestHost.StartAsync(
            services =>
            {
                services.AddHealthChecks().AddCheck(LoopHealthCheck.Name, new LoopHealthCheck(faults));
                ApiServices.Of(new SubmissionRefusal(), new QueryService(chain), new StreamsService(chain)).Register(services);
            },
            endpoints => ApiServices.Of(new SubmissionRefusal(), new QueryService(chain), new StreamsService(chain)).Map(endpoints),
            new ApiTestHostOptions { InProcess = true });
        using var channel = server.CreateChannel();
        var health = new Health.HealthClient(channel);
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        faults.Report("validator derivation", new InvalidOperationException("injected"));
        Assert.Throws<ArgumentException>(() => chain.Execute(new Block(9, 1, [])));

        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await new P.Query.QueryClient(channel).GetStateRootAsync(new P.GetStateRootRequest()));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("restarts", error.Status.Detail, StringComparison.Ordinal);
    }

    private static Transaction Withdraw(ulong nonce) =>
        TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 1, Nonce = nonce }, Alice, Domain);

    private SequencerOptions Options() => TestChain.Options(_directory.Path);

    public void Dispose() => _directory.Dispose();
}
