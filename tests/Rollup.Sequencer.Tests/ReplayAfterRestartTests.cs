using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// A transaction the engine refuses for authorization was once acknowledged again after every restart: admission had
/// spent its nonce, the engine had not, and a restart rebuilds admission's windows from the engine.
/// </summary>
public sealed class ReplayAfterRestartTests : IDisposable
{
    private static readonly EngineOptions Engine = TestChain.Engine;
    private static readonly Eip712Domain Domain = TestChain.Domain;
    private static readonly PrivateKey Stranger = ChainFlowGenerator.KeyOf(91);

    private readonly TempDirectory _directory = new("rollup-replay-restart");

    [Fact]
    public async Task Resubmit_AfterRestart_TransactionRefusedForAuthorization_IsReplayedNotAckedAgain()
    {
        var pause = TransactionSigning.Sign(new Transaction { Kind = TxKind.PauseMarket, Account = Stranger.Address, Market = 1, Nonce = 0 }, Stranger, Domain);
        await using (var sequencer = Sequencer.Start(Options(), NullLogger.Instance))
        {
            var blocks = sequencer.Subscribe();
            var acked = await sequencer.SubmitAsync(pause);
            Assert.Equal(SubmitStatus.Accepted, acked.Status);
            await foreach (var block in blocks.ReadAllAsync())
            {
                if (block.Receipts.Length > 0)
                {
                    Assert.Equal(TxStatus.NotOperator, Assert.Single(block.Receipts).Status);
                    break;
                }
            }
        }

        await using var restarted = Sequencer.Start(Options(), NullLogger.Instance);
        Assert.Equal(SubmitStatus.Replayed, (await restarted.SubmitAsync(pause)).Status);
        Assert.Equal(1UL, restarted.LoggedTransactions);
    }

    private SequencerOptions Options() => TestChain.Options(_directory.Path);

    public void Dispose() => _directory.Dispose();
}
