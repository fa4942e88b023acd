using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Testing;

/// <summary>
/// Hand-made blocks in which every outcome the accounts domain decides happens at least once, each next to an
/// accepted transaction of the same account: the rejections a trace must carry as steps.
/// </summary>
public static class HostileBlocks
{
    public static readonly PrivateKey Alice = ChainFlowGenerator.KeyOf(7001);
    public static readonly PrivateKey Bob = ChainFlowGenerator.KeyOf(7002);
    public static readonly PrivateKey Mallory = ChainFlowGenerator.KeyOf(7003);
    public static readonly PrivateKey Operator = ChainFlowGenerator.KeyOf(0xFFF0);

    /// <summary>The market the blocks create, and the margin moved into it in the second block.</summary>
    public const uint Market = 901;

    public const ulong RefundableMargin = 123;

    /// <summary>The statuses these blocks must make the accounts domain decide (besides Accepted).</summary>
    public static readonly TxStatus[] Decided =
    [
        TxStatus.BadSignature, TxStatus.Replayed, TxStatus.NonceTooOld, TxStatus.NonceTooFar, TxStatus.NotOperator,
        TxStatus.UnknownMarket, TxStatus.InsufficientBalance, TxStatus.ZeroAmount, TxStatus.DepositOutOfOrder,
        TxStatus.Overflow, TxStatus.MarketExists, TxStatus.FundsHeld, TxStatus.HeldInTooManyMarkets,
    ];

    /// <summary>The markets the last block creates (with 903, nine): Bob's ninth transfer of that block needs a ninth held entry.</summary>
    public const uint FirstOfEight = 904;

    /// <summary>
    /// What Alice moves into a second market after margin came out of 901 (held: 500_000_000 from her transfer out, or
    /// only the refund of <see cref="RefundableMargin"/> when 901 faults): more than her unheld funds either way.
    /// </summary>
    public const ulong PastUnheld = 2_999_998_950;

    public static IReadOnlyList<Block> Build(ulong firstBlock, ulong firstDeposit, ulong time)
    {
        var generator = new ChainFlowGenerator(1, markets: 2, accounts: 1);
        var domain = StepChain.Domain;
        Transaction Sign(Transaction tx, PrivateKey key) => TransactionSigning.Sign(tx, key, domain);
        var deposit = firstDeposit;
        Transaction Deposit(PrivateKey key, ulong amount) => new() { Kind = TxKind.Deposit, Account = key.Address, Amount = amount, DepositIndex = deposit++ };

        var setup = new List<Transaction>
        {
            Sign(new Transaction { Kind = TxKind.CreateMarket, Account = Operator.Address, Market = 901, Params = generator.Params(1), Nonce = 1_000 }, Operator),
            Deposit(Alice, 5_000_000_000),
            Deposit(Bob, 1_000_000),
            Sign(new Transaction { Kind = TxKind.TransferMargin, Account = Alice.Address, Market = 901, Amount = 2_000_000_000, ToMarket = true, Nonce = 1 }, Alice),
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Bob.Address, Amount = 400_000, Nonce = 1 }, Bob),
        };
        var hostile = new List<Transaction>
        {
            // The signature is over other fields, or from another key: refused before the nonce.
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 10, Nonce = 2 }, Alice) with { Amount = 11 },
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 10, Nonce = 2 }, Mallory),
            // Nonces: replayed, far ahead, then too old once the window slid.
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Bob.Address, Amount = 400_000, Nonce = 1 }, Bob),
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Bob.Address, Amount = 1, Nonce = (1UL << 33) + 5 }, Bob),
            Sign(new Transaction { Kind = TxKind.CancelAllOrders, Account = Bob.Address, Market = 901, Nonce = 200 }, Bob),
            Sign(new Transaction { Kind = TxKind.CancelAllOrders, Account = Bob.Address, Market = 901, Nonce = 3 }, Bob),
            // Not the operator, an unknown market, a market that exists.
            Sign(new Transaction { Kind = TxKind.PauseMarket, Account = Mallory.Address, Market = 901, Nonce = 1 }, Mallory),
            Sign(new Transaction { Kind = TxKind.CreateMarket, Account = Mallory.Address, Market = 902, Params = generator.Params(2), Nonce = 2 }, Mallory),
            Sign(new Transaction { Kind = TxKind.PlaceOrder, Account = Alice.Address, Market = 999, IsBuy = true, Price = 1_000, Size = 1_000, Nonce = 3 }, Alice),
            Sign(new Transaction { Kind = TxKind.TransferMargin, Account = Alice.Address, Market = 999, Amount = 5, ToMarket = true, Nonce = 4 }, Alice),
            Sign(new Transaction { Kind = TxKind.OracleUpdate, Account = Alice.Address, Market = 999, Price = 1_000, Timestamp = time, Nonce = 5 }, Alice),
            Sign(new Transaction { Kind = TxKind.CreateMarket, Account = Operator.Address, Market = 901, Params = generator.Params(1), Nonce = 1_001 }, Operator),
            // Money: too much, nothing, and a new signer with no balance.
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 99_000_000_000, Nonce = 6 }, Alice),
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 0, Nonce = 7 }, Alice),
            Sign(new Transaction { Kind = TxKind.TransferMargin, Account = Alice.Address, Market = 901, Amount = 0, ToMarket = true, Nonce = 8 }, Alice),
            Sign(new Transaction { Kind = TxKind.TransferMargin, Account = Mallory.Address, Market = 901, Amount = 1, ToMarket = true, Nonce = 3 }, Mallory),
            // Deposits: one out of order, one that would overflow the total, then the right one.
            new Transaction { Kind = TxKind.Deposit, Account = Bob.Address, Amount = 7, DepositIndex = deposit + 1 },
            new Transaction { Kind = TxKind.Deposit, Account = Bob.Address, Amount = long.MaxValue, DepositIndex = deposit },
            Deposit(Bob, 7),
            // Accepted, routed: margin out of the market (a reply), an oracle price from a key the market refuses.
            Sign(new Transaction { Kind = TxKind.TransferMargin, Account = Alice.Address, Market = 901, Amount = 500_000_000, ToMarket = false, Nonce = 9 }, Alice),
            Sign(new Transaction { Kind = TxKind.OracleUpdate, Account = Alice.Address, Market = 901, Price = 1_000, Timestamp = time, Nonce = 10 }, Alice),
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 1_000, Nonce = 11 }, Alice),
            // Margin into the market: refunded by a reply if the market faults in this block (a test's choice).
            Sign(new Transaction { Kind = TxKind.TransferMargin, Account = Alice.Address, Market = 901, Amount = RefundableMargin, ToMarket = true, Nonce = 12 }, Alice),
            // Bob's whole free balance, to the unit: 1_000_000 − 400_000 + 7.
            Sign(new Transaction { Kind = TxKind.Withdraw, Account = Bob.Address, Amount = 600_007, Nonce = 201 }, Bob),
        };
        return
        [
            new Block(firstBlock, time, [.. setup]),
            new Block(firstBlock + 1, time + 250, [.. hostile]),
            new Block(firstBlock + 2, time + 500,
            [
                // Funds held for 901 do not become margin in another market; a withdrawal may draw on them.
                Sign(new Transaction { Kind = TxKind.CreateMarket, Account = Operator.Address, Market = 903, Params = generator.Params(2), Nonce = 1_002 }, Operator),
                Sign(new Transaction { Kind = TxKind.TransferMargin, Account = Alice.Address, Market = 903, Amount = PastUnheld, ToMarket = true, Nonce = 13 }, Alice),
                Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = PastUnheld, Nonce = 14 }, Alice),
            ]),
            new Block(firstBlock + 3, time + 750, [.. HeldInEightMarkets(Sign, Deposit(Bob, 1_000), generator)]),
        ];
    }

    /// <summary>
    /// Every transfer keeps its market's held entry live through its block: Bob's transfers into eight markets are
    /// accepted, his ninth, into another market, is refused <see cref="TxStatus.HeldInTooManyMarkets"/>.
    /// </summary>
    private static List<Transaction> HeldInEightMarkets(Func<Transaction, PrivateKey, Transaction> sign, Transaction deposit, ChainFlowGenerator generator)
    {
        var block = new List<Transaction> { deposit };
        for (var i = 0u; i < 8; i++)
        {
            block.Add(sign(new Transaction { Kind = TxKind.CreateMarket, Account = Operator.Address, Market = FirstOfEight + i, Params = generator.Params(2), Nonce = 1_003 + i }, Operator));
        }
        for (var i = 0u; i < 9; i++)
        {
            var market = i == 0 ? 903 : FirstOfEight + i - 1;
            block.Add(sign(new Transaction { Kind = TxKind.TransferMargin, Account = Bob.Address, Market = market, Amount = 1, ToMarket = true, Nonce = 202 + i }, Bob));
        }
        return block;
    }
}
