using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

public class AuthenticationTests
{
    private static readonly Address Contract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    private static readonly EngineOptions Options = new() { ChainId = 31337, SettlementContract = Contract, Operators = ChainFlowGenerator.Operators, Workers = 2 };
    private static readonly Eip712Domain Domain = RollupDomain.Create(Options.ChainId, Contract);
    private static readonly PrivateKey AliceKey = ChainFlowGenerator.KeyOf(1);

    [Fact]
    public void Execute_SignedFlow_VerifiedInEngine_SameRootsAsPreVerified()
    {
        var generator = new ChainFlowGenerator(21, markets: 4, accounts: 40, signingDomain: Domain);
        var blocks = Enumerable.Range(0, 8).Select(_ => generator.Next(150)).ToList();
        using var verifying = new TempDirectory("rollup-verify");
        using var trusting = new TempDirectory("rollup-trust");
        using var a = ExecutionEngine.Open(verifying.Path, Options);
        using var b = ExecutionEngine.Open(trusting.Path, Options with { VerifySignatures = false });
        foreach (var block in blocks)
        {
            var verified = a.Execute(block);
            Assert.DoesNotContain(verified.Receipts, r => r.Status == TxStatus.BadSignature);
            Assert.Equal(b.Execute(block).StateRoot, verified.StateRoot);
        }
    }

    [Fact]
    public void Execute_TamperedWrongDomainOrWrongKey_BadSignatureAndNonceNotUsed()
    {
        using var directory = new TempDirectory("rollup-auth");
        using var engine = ExecutionEngine.Open(directory.Path, Options);
        var deposit = new Transaction { Kind = TxKind.Deposit, Account = AliceKey.Address, Amount = 1_000 };
        var withdraw = new Transaction { Kind = TxKind.Withdraw, Account = AliceKey.Address, Amount = 10, Nonce = 0 };
        var tampered = TransactionSigning.Sign(withdraw, AliceKey, Domain) with { Amount = 999 };
        var otherChain = TransactionSigning.Sign(withdraw, AliceKey, RollupDomain.Create(1, Contract));
        var otherContract = TransactionSigning.Sign(withdraw, AliceKey, RollupDomain.Create(31337, Address.Zero));
        var wrongKey = TransactionSigning.Sign(withdraw, ChainFlowGenerator.KeyOf(2), Domain);
        var unsigned = withdraw;
        var good = TransactionSigning.Sign(withdraw, AliceKey, Domain);

        var result = engine.Execute(new Block(1, 1, [deposit, tampered, otherChain, otherContract, wrongKey, unsigned, good]));
        Assert.Equal(
            [TxStatus.Accepted, TxStatus.BadSignature, TxStatus.BadSignature, TxStatus.BadSignature, TxStatus.BadSignature, TxStatus.BadSignature, TxStatus.Accepted],
            result.Receipts.Select(r => r.Status));
        Assert.True(engine.TryGetFreeBalance(AliceKey.Address, out var free));
        Assert.Equal(990, free);
    }

    /// <summary>
    /// A second engine replaying the first's stored blocks takes the signature verdicts from its receipts: the same
    /// receipts and roots without a recovery, bad signatures included; a record whose receipts call a bad signature
    /// good reaches another root, which the replaying side checks.
    /// </summary>
    [Fact]
    public void Replay_TakesSignatureVerdictsFromTheStoredReceipts_AndALyingReceiptChangesTheRoot()
    {
        using var first = new TempDirectory("rollup-replay-source");
        using var second = new TempDirectory("rollup-replay-copy");
        using var third = new TempDirectory("rollup-replay-lied-to");
        using var engine = ExecutionEngine.Open(first.Path, Options);
        using var copy = ExecutionEngine.Open(second.Path, Options);
        using var liedTo = ExecutionEngine.Open(third.Path, Options);
        var deposit = new Transaction { Kind = TxKind.Deposit, Account = AliceKey.Address, Amount = 1_000 };
        var withdraw = new Transaction { Kind = TxKind.Withdraw, Account = AliceKey.Address, Amount = 10, Nonce = 0 };
        var tampered = TransactionSigning.Sign(withdraw, AliceKey, Domain) with { Amount = 999 };
        engine.Execute(new Block(1, 1, [deposit, tampered, TransactionSigning.Sign(withdraw with { Nonce = 1 }, AliceKey, Domain)]));
        var stored = engine.GetBlock(1)!;
        Assert.Equal([TxStatus.Accepted, TxStatus.BadSignature, TxStatus.Accepted], stored.Receipts.Select(r => r.Status));

        var replayed = copy.Replay(stored);
        Assert.Equal(stored.StateRoot, replayed.StateRoot);
        Assert.Equal(stored.Receipts.Select(r => r.Status), replayed.Receipts.Select(r => r.Status));

        var lie = stored with { Receipts = [.. stored.Receipts.Select(r => r.Status == TxStatus.BadSignature ? r with { Status = TxStatus.Accepted } : r)] };
        Assert.NotEqual(stored.StateRoot, liedTo.Replay(lie).StateRoot);
    }

    [Fact]
    public void Execute_ReplayAndOldNonces_RejectedOutOfOrderWithinWindowAccepted()
    {
        using var directory = new TempDirectory("rollup-replay");
        using var engine = ExecutionEngine.Open(directory.Path, Options);
        Transaction Withdraw(ulong nonce) => TransactionSigning.Sign(
            new Transaction { Kind = TxKind.Withdraw, Account = AliceKey.Address, Amount = 1, Nonce = nonce }, AliceKey, Domain);

        engine.Execute(new Block(1, 1, [new Transaction { Kind = TxKind.Deposit, Account = AliceKey.Address, Amount = 1_000 }]));
        var first = engine.Execute(new Block(2, 2, [Withdraw(100), Withdraw(97), Withdraw(100), Withdraw(36), Withdraw(37)]));
        Assert.Equal([TxStatus.Accepted, TxStatus.Accepted, TxStatus.Replayed, TxStatus.NonceTooOld, TxStatus.Accepted], first.Receipts.Select(r => r.Status));

        // A replay in a later block is refused the same way and changes nothing.
        var rootBefore = engine.Head.StateRoot;
        var again = engine.Execute(new Block(3, 3, [Withdraw(97), Withdraw(1UL << 40)]));
        Assert.Equal([TxStatus.Replayed, TxStatus.NonceTooFar], again.Receipts.Select(r => r.Status));
        Assert.True(engine.TryGetFreeBalance(AliceKey.Address, out var free));
        Assert.Equal(997, free);
        Assert.Equal(rootBefore, engine.Head.StateRoot);
    }

    [Fact]
    public void Execute_RefusedForAuthorization_SpendsTheNonce_SoTheSameBytesNeverExecuteLater()
    {
        using var directory = new TempDirectory("rollup-auth-nonce");
        using var engine = ExecutionEngine.Open(directory.Path, Options);
        var stranger = ChainFlowGenerator.KeyOf(77);
        var operatorKey = ChainFlowGenerator.KeyOf(0xFFF0);
        var create = TransactionSigning.Sign(new Transaction
        {
            Kind = TxKind.CreateMarket, Account = operatorKey.Address, Market = 1, Nonce = 0,
            Params = SampleMarkets.Perpetual("BTC-PERP", ChainFlowGenerator.Oracle),
        }, operatorKey, Domain);
        var pauseByStranger = TransactionSigning.Sign(new Transaction { Kind = TxKind.PauseMarket, Account = stranger.Address, Market = 1, Nonce = 0 }, stranger, Domain);
        var priceByStranger = TransactionSigning.Sign(new Transaction { Kind = TxKind.OracleUpdate, Account = stranger.Address, Market = 1, Price = 5_000_000, Timestamp = 2, Nonce = 1 }, stranger, Domain);
        var strangerWithdraws = TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = stranger.Address, Amount = 1, Nonce = 2 }, stranger, Domain);

        var first = engine.Execute(new Block(1, 1, [create, pauseByStranger, priceByStranger, strangerWithdraws]));
        Assert.Equal([TxStatus.Accepted, TxStatus.NotOperator, TxStatus.NotOracleSigner, TxStatus.InsufficientBalance], first.Receipts.Select(r => r.Status));

        // The same signed bytes again, in a later block: each nonce was spent by its refusal.
        var again = engine.Execute(new Block(2, 2, [pauseByStranger, priceByStranger, strangerWithdraws]));
        Assert.Equal([TxStatus.Replayed, TxStatus.Replayed, TxStatus.Replayed], again.Receipts.Select(r => r.Status));
        Assert.True(engine.TryGetNonceWindow(stranger.Address, out var window));
        Assert.Equal(2UL, window.Highest);
        Assert.Equal(0b111UL, window.UsedBits);
    }

    [Fact]
    public void Execute_OracleSignerReplacedEarlierInTheBlock_NewSignerAcceptedOldRefused()
    {
        // The market checks an OracleUpdate's signer in transaction order, after its own SetMarketParams of the same
        // block (docs/steps.md: the accounts domain holds no market state to check it against).
        using var directory = new TempDirectory("rollup-auth-oracle-order");
        using var engine = ExecutionEngine.Open(directory.Path, Options);
        var operatorKey = ChainFlowGenerator.KeyOf(0xFFF0);
        var newSigner = ChainFlowGenerator.KeyOf(78);
        var parameters = SampleMarkets.Perpetual("BTC-PERP", ChainFlowGenerator.Oracle);
        engine.Execute(new Block(1, 1_000, [TransactionSigning.Sign(
            new Transaction { Kind = TxKind.CreateMarket, Account = operatorKey.Address, Market = 1, Nonce = 0, Params = parameters }, operatorKey, Domain)]));

        var replace = TransactionSigning.Sign(new Transaction
        {
            Kind = TxKind.SetMarketParams, Account = operatorKey.Address, Market = 1, Nonce = 1,
            Params = parameters with { OracleSigners = [newSigner.Address] },
        }, operatorKey, Domain);
        var byNew = TransactionSigning.Sign(new Transaction { Kind = TxKind.OracleUpdate, Account = newSigner.Address, Market = 1, Price = 5_000_000, Timestamp = 2_000, Nonce = 0 }, newSigner, Domain);
        var oracleKey = ChainFlowGenerator.KeyOf(0xFFF1);
        var byOld = TransactionSigning.Sign(new Transaction { Kind = TxKind.OracleUpdate, Account = oracleKey.Address, Market = 1, Price = 5_000_000, Timestamp = 2_001, Nonce = 0 }, oracleKey, Domain);

        var result = engine.Execute(new Block(2, 2_000, [replace, byNew, byOld]));
        Assert.Equal([TxStatus.Accepted, TxStatus.Accepted, TxStatus.NotOracleSigner], result.Receipts.Select(r => r.Status));
    }
}
