using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>An engine on a temp directory with an operator and an oracle key, and builders for its transactions.</summary>
internal sealed class EngineFixture : IDisposable
{
    public static readonly Address Operator = AddressOf(0xA0);
    public static readonly Address Oracle = AddressOf(0xB0);

    private readonly TempDirectory _directory = new("rollup-engine");
    private readonly List<Transaction> _pending = [];
    private ulong _nextDeposit;
    private readonly Dictionary<Address, ulong> _nonces = [];

    public EngineFixture(int workers = 2, Func<EngineOptions, EngineOptions>? options = null)
    {
        Options = new EngineOptions { Operators = [Operator], Workers = workers, VerifySignatures = false };
        Options = options?.Invoke(Options) ?? Options;
        Engine = ExecutionEngine.Open(_directory.Path, Options);
    }

    public EngineOptions Options { get; private set; }

    public ExecutionEngine Engine { get; private set; }

    public ulong Time { get; set; } = 1_700_000_000_000;

    public static Address AddressOf(int n)
    {
        var bytes = new byte[20];
        bytes[0] = 0x10;
        bytes[18] = (byte)(n >> 8);
        bytes[19] = (byte)n;
        return new Address(bytes);
    }

    public static MarketParams DefaultParams(string symbol = "BTC-PERP") => SampleMarkets.Perpetual(symbol, Oracle);

    public Transaction Signed(Transaction tx)
    {
        _nonces.TryGetValue(tx.Account, out var nonce);
        _nonces[tx.Account] = nonce + 1;
        return tx with { Nonce = nonce, Signature = new Primitives.Signatures.Signature(Enumerable.Repeat((byte)1, 65).ToArray()) };
    }

    public EngineFixture Add(Transaction tx)
    {
        _pending.Add(tx);
        return this;
    }

    public EngineFixture Deposit(in Address account, long amount) =>
        Add(new Transaction { Kind = TxKind.Deposit, Account = account, Amount = (ulong)amount, DepositIndex = _nextDeposit++ });

    public EngineFixture CreateMarket(uint market, MarketParams? parameters = null) =>
        Add(Signed(new Transaction { Kind = TxKind.CreateMarket, Account = Operator, Market = market, Params = parameters ?? DefaultParams() }));

    public EngineFixture OraclePrice(uint market, long price) =>
        Add(Signed(new Transaction { Kind = TxKind.OracleUpdate, Account = Oracle, Market = market, Price = (ulong)price, Timestamp = Time++ }));

    public EngineFixture MarginIn(in Address account, uint market, long amount) =>
        Add(Signed(new Transaction { Kind = TxKind.TransferMargin, Account = account, Market = market, Amount = (ulong)amount, ToMarket = true }));

    public EngineFixture MarginOut(in Address account, uint market, long amount) =>
        Add(Signed(new Transaction { Kind = TxKind.TransferMargin, Account = account, Market = market, Amount = (ulong)amount, ToMarket = false }));

    public EngineFixture Withdraw(in Address account, long amount) =>
        Add(Signed(new Transaction { Kind = TxKind.Withdraw, Account = account, Amount = (ulong)amount }));

    public EngineFixture Order(in Address account, uint market, bool isBuy, long price, long size, TimeInForce tif = TimeInForce.Gtc, OrderKind kind = OrderKind.Limit, ulong clientOrderId = 0, bool reduceOnly = false) =>
        Add(Signed(new Transaction
        {
            Kind = TxKind.PlaceOrder, Account = account, Market = market, IsBuy = isBuy, Price = (ulong)price, Size = (ulong)size,
            TimeInForce = tif, OrderKind = kind, ClientOrderId = clientOrderId, ReduceOnly = reduceOnly,
        }));

    public EngineFixture Cancel(in Address account, uint market, ulong orderId) =>
        Add(Signed(new Transaction { Kind = TxKind.CancelOrder, Account = account, Market = market, OrderId = orderId }));

    public EngineFixture CancelByClientId(in Address account, uint market, ulong clientOrderId) =>
        Add(Signed(new Transaction { Kind = TxKind.CancelOrderByClientId, Account = account, Market = market, ClientOrderId = clientOrderId }));

    public EngineFixture Pause(uint market) => Add(Signed(new Transaction { Kind = TxKind.PauseMarket, Account = Operator, Market = market }));

    public EngineFixture Resume(uint market) => Add(Signed(new Transaction { Kind = TxKind.ResumeMarket, Account = Operator, Market = market }));

    /// <summary>Executes what was added as the next block and checks conservation.</summary>
    public BlockResult Block()
    {
        var block = new Block(Engine.Head.BlockNumber + 1, Time, [.. _pending]);
        _pending.Clear();
        Time += 100;
        var result = Engine.Execute(block);
        Assert.Equal(Engine.Head.TotalDeposits - Engine.Head.TotalWithdrawals, Engine.TotalCollateral());
        return result;
    }

    public void Reopen()
    {
        Engine.Dispose();
        Engine = ExecutionEngine.Open(_directory.Path, Options);
    }

    public void Dispose()
    {
        Engine.Dispose();
        _directory.Dispose();
    }
}
