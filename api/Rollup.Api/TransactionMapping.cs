using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using P = Rollup.Proto.V1;

namespace Rollup.Api;

/// <summary>Between the API's transaction messages and the engine's flat <see cref="Transaction"/>, checking sizes and ranges.</summary>
public static class TransactionMapping
{
    public static bool TryFromProto(P.Transaction message, out Transaction tx, [NotNullWhen(false)] out string? error)
    {
        tx = default;
        if (message.KindCase == P.Transaction.KindOneofCase.Encoded)
        {
            if (!TransactionCodec.TryDecode(message.Encoded.Span, out tx, out var consumed, out var decodeError))
            {
                error = "encoded: " + TransactionCodec.Describe(decodeError);
                return false;
            }
            error = consumed == message.Encoded.Length ? null : "encoded: bytes after the transaction";
            return error is null;
        }
        if (!TryAddress(message.KindCase switch
            {
                P.Transaction.KindOneofCase.Withdraw => message.Withdraw.Account,
                P.Transaction.KindOneofCase.TransferMargin => message.TransferMargin.Account,
                P.Transaction.KindOneofCase.PlaceOrder => message.PlaceOrder.Account,
                P.Transaction.KindOneofCase.CancelOrder => message.CancelOrder.Account,
                P.Transaction.KindOneofCase.CancelOrderByClientId => message.CancelOrderByClientId.Account,
                P.Transaction.KindOneofCase.CancelAllOrders => message.CancelAllOrders.Account,
                P.Transaction.KindOneofCase.OracleUpdate => message.OracleUpdate.Account,
                P.Transaction.KindOneofCase.CreateMarket => message.CreateMarket.Account,
                P.Transaction.KindOneofCase.SetMarketParams => message.SetMarketParams.Account,
                P.Transaction.KindOneofCase.PauseMarket => message.PauseMarket.Account,
                P.Transaction.KindOneofCase.ResumeMarket => message.ResumeMarket.Account,
                P.Transaction.KindOneofCase.Bulk => message.Bulk.Account,
                _ => ByteString.Empty,
            }, out var account))
        {
            error = message.KindCase == P.Transaction.KindOneofCase.None ? "transaction: no kind set" : "account: an address is 20 bytes";
            return false;
        }
        if (message.Signature.Length != Signature.Length)
        {
            error = $"signature: {Signature.Length} bytes (r, s, v) expected, got {message.Signature.Length}";
            return false;
        }
        var signature = new Signature(message.Signature.Span);
        switch (message.KindCase)
        {
            case P.Transaction.KindOneofCase.Withdraw:
                tx = new Transaction { Kind = TxKind.Withdraw, Account = account, Amount = message.Withdraw.Amount, Nonce = message.Withdraw.Nonce };
                break;
            case P.Transaction.KindOneofCase.TransferMargin:
                var transfer = message.TransferMargin;
                tx = new Transaction { Kind = TxKind.TransferMargin, Account = account, Market = transfer.Market, Amount = transfer.Amount, ToMarket = transfer.ToMarket, Nonce = transfer.Nonce };
                break;
            case P.Transaction.KindOneofCase.PlaceOrder:
                var order = message.PlaceOrder;
                if (!Enum.IsDefined((OrderKind)order.Kind) || !Enum.IsDefined((TimeInForce)order.TimeInForce))
                {
                    error = "order: unknown kind or time in force";
                    return false;
                }
                tx = new Transaction
                {
                    Kind = TxKind.PlaceOrder, Account = account, Market = order.Market, IsBuy = order.IsBuy, Price = order.Price, Size = order.Size,
                    OrderKind = (OrderKind)order.Kind, TimeInForce = (TimeInForce)order.TimeInForce, ReduceOnly = order.ReduceOnly,
                    ClientOrderId = order.ClientOrderId, Nonce = order.Nonce,
                };
                break;
            case P.Transaction.KindOneofCase.CancelOrder:
                var cancel = message.CancelOrder;
                tx = new Transaction { Kind = TxKind.CancelOrder, Account = account, Market = cancel.Market, OrderId = cancel.OrderId, Nonce = cancel.Nonce };
                break;
            case P.Transaction.KindOneofCase.CancelOrderByClientId:
                var byClient = message.CancelOrderByClientId;
                tx = new Transaction { Kind = TxKind.CancelOrderByClientId, Account = account, Market = byClient.Market, ClientOrderId = byClient.ClientOrderId, Nonce = byClient.Nonce };
                break;
            case P.Transaction.KindOneofCase.CancelAllOrders:
                tx = new Transaction { Kind = TxKind.CancelAllOrders, Account = account, Market = message.CancelAllOrders.Market, Nonce = message.CancelAllOrders.Nonce };
                break;
            case P.Transaction.KindOneofCase.OracleUpdate:
                var oracle = message.OracleUpdate;
                tx = new Transaction { Kind = TxKind.OracleUpdate, Account = account, Market = oracle.Market, Price = oracle.Price, Timestamp = oracle.Timestamp, Nonce = oracle.Nonce };
                break;
            case P.Transaction.KindOneofCase.CreateMarket:
            case P.Transaction.KindOneofCase.SetMarketParams:
                var admin = message.KindCase == P.Transaction.KindOneofCase.CreateMarket ? message.CreateMarket : message.SetMarketParams;
                if (!TryParams(admin.Params, out var parameters, out error))
                {
                    return false;
                }
                tx = new Transaction
                {
                    Kind = message.KindCase == P.Transaction.KindOneofCase.CreateMarket ? TxKind.CreateMarket : TxKind.SetMarketParams,
                    Account = account, Market = admin.Market, Params = parameters, Nonce = admin.Nonce,
                };
                break;
            case P.Transaction.KindOneofCase.PauseMarket:
            case P.Transaction.KindOneofCase.ResumeMarket:
                var reference = message.KindCase == P.Transaction.KindOneofCase.PauseMarket ? message.PauseMarket : message.ResumeMarket;
                tx = new Transaction
                {
                    Kind = message.KindCase == P.Transaction.KindOneofCase.PauseMarket ? TxKind.PauseMarket : TxKind.ResumeMarket,
                    Account = account, Market = reference.Market, Nonce = reference.Nonce,
                };
                break;
            case P.Transaction.KindOneofCase.Bulk:
                if (!TryBulk(message.Bulk, account, out tx, out error))
                {
                    return false;
                }
                break;
        }
        tx = tx with { Signature = signature };
        error = null;
        return true;
    }

    /// <summary>
    /// A bulk's items as the engine's, refusing what no encoding could hold: no items or more than the protocol's
    /// <see cref="BulkItem.MaxItems"/>, an item in another market than the first's, an unknown action or enum.
    /// </summary>
    private static bool TryBulk(P.Bulk bulk, in Address account, out Transaction tx, [NotNullWhen(false)] out string? error)
    {
        tx = default;
        if (bulk.Items.Count is 0 or > BulkItem.MaxItems)
        {
            error = $"bulk: {bulk.Items.Count} items, a bulk has 1 to {BulkItem.MaxItems}";
            return false;
        }
        var market = bulk.Items[0].Market;
        var items = new BulkItem[bulk.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var item = bulk.Items[i];
            if (item.Market != market)
            {
                error = $"bulk.items[{i}]: market {item.Market}, but the bulk is for market {market} (items[0]): a bulk is one market";
                return false;
            }
            if (!Enum.IsDefined((BulkAction)item.Action) || !Enum.IsDefined((OrderKind)item.Kind) || !Enum.IsDefined((TimeInForce)item.TimeInForce))
            {
                error = $"bulk.items[{i}]: unknown action, order kind or time in force";
                return false;
            }
            items[i] = new BulkItem
            {
                Action = (BulkAction)item.Action, OrderId = item.OrderId, IsBuy = item.IsBuy, Price = item.Price, Size = item.Size,
                OrderKind = (OrderKind)item.Kind, TimeInForce = (TimeInForce)item.TimeInForce, ReduceOnly = item.ReduceOnly,
                ClientOrderId = item.ClientOrderId,
            };
        }
        tx = new Transaction { Kind = TxKind.Bulk, Account = account, Market = market, Items = new ValueArray<BulkItem>(items), Nonce = bulk.Nonce };
        error = null;
        return true;
    }

    public static P.Transaction ToProto(in Transaction tx)
    {
        var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, encoded);
        return new P.Transaction { Encoded = ByteString.CopyFrom(encoded) };
    }

    public static P.MarketParams ToProto(MarketParams p)
    {
        var message = new P.MarketParams
        {
            Symbol = p.Symbol, TickSize = p.TickSize, LotSize = p.LotSize, SizeScale = p.SizeScale,
            InitialMarginPpm = p.InitialMarginPpm, MaintenanceMarginPpm = p.MaintenanceMarginPpm, MakerFeePpm = p.MakerFeePpm,
            TakerFeePpm = p.TakerFeePpm, PriceBandPpm = p.PriceBandPpm, MaxOpenOrdersPerAccount = p.MaxOpenOrdersPerAccount,
            FundingIntervalBlocks = p.FundingIntervalBlocks, FundingCapPpm = p.FundingCapPpm, LiquidationFeePpm = p.LiquidationFeePpm,
            HaltMovePpm = p.HaltMovePpm, HaltWindowBlocks = p.HaltWindowBlocks, MaxBookOrders = p.MaxBookOrders, MaxBookLevels = p.MaxBookLevels,
        };
        foreach (var signer in p.OracleSigners)
        {
            message.OracleSigners.Add(ByteString.CopyFrom(signer.Bytes));
        }
        return message;
    }

    private static bool TryParams(P.MarketParams? message, [NotNullWhen(true)] out MarketParams? parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = null;
        if (message is null)
        {
            error = "params: missing";
            return false;
        }
        var signers = new Address[message.OracleSigners.Count];
        for (var i = 0; i < signers.Length; i++)
        {
            if (!TryAddress(message.OracleSigners[i], out signers[i]))
            {
                error = $"params.oracle_signers[{i}]: an address is 20 bytes";
                return false;
            }
        }
        parameters = new MarketParams
        {
            Symbol = message.Symbol, TickSize = message.TickSize, LotSize = message.LotSize, SizeScale = message.SizeScale,
            InitialMarginPpm = message.InitialMarginPpm, MaintenanceMarginPpm = message.MaintenanceMarginPpm, MakerFeePpm = message.MakerFeePpm,
            TakerFeePpm = message.TakerFeePpm, PriceBandPpm = message.PriceBandPpm, MaxOpenOrdersPerAccount = message.MaxOpenOrdersPerAccount,
            FundingIntervalBlocks = message.FundingIntervalBlocks, FundingCapPpm = message.FundingCapPpm, LiquidationFeePpm = message.LiquidationFeePpm,
            HaltMovePpm = message.HaltMovePpm, HaltWindowBlocks = message.HaltWindowBlocks, MaxBookOrders = message.MaxBookOrders,
            MaxBookLevels = message.MaxBookLevels, OracleSigners = signers,
        };
        error = null;
        return true;
    }

    public static bool TryAddress(ByteString bytes, out Address address)
    {
        address = default;
        if (bytes.Length != Address.Length)
        {
            return false;
        }
        address = new Address(bytes.Span);
        return true;
    }
}
