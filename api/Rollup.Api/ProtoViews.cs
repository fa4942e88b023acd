using Google.Protobuf;
using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.Matching;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using P = Rollup.Proto.V1;

namespace Rollup.Api;

/// <summary>Engine state and results as API messages.</summary>
internal static class ProtoViews
{
    public static ByteString Bytes(in Address address) => ByteString.CopyFrom(address.Bytes);

    public static ByteString Bytes(in Hash256 hash) => ByteString.CopyFrom(hash.Bytes);

    public static P.Market Market(Execution.Blocks.Views.MarketView market) => new()
    {
        Market_ = market.Id,
        Params = TransactionMapping.ToProto(market.Params),
        OraclePrice = (ulong)market.OraclePrice,
        OracleTimestamp = market.OracleTimestamp,
        MarkPrice = (ulong)market.MarkPrice,
        HaltReason = (P.HaltReason)market.HaltReason,
        InsuranceFund = market.InsuranceFund,
        FeePool = market.FeePool,
        LastFundingBlock = market.LastFundingBlock,
        RestingOrders = (uint)market.RestingOrderCount,
        Positions = (uint)market.PositionCount,
        Root = Bytes(market.Root),
        FundingIndex = market.FundingIndex,
        FundingPool = market.FundingPool,
    };

    public static P.RestingOrder Order(uint market, in OrderView order) => new()
    {
        OrderId = order.OrderId,
        Account = Bytes(order.Account),
        Market = market,
        IsBuy = order.IsBuy,
        Price = (ulong)order.Price,
        RemainingSize = (ulong)order.RemainingSize,
        ClientOrderId = order.ClientOrderId,
        ReduceOnly = order.ReduceOnly,
    };

    public static void Levels(List<BookLevel> levels, Google.Protobuf.Collections.RepeatedField<P.BookLevel> into)
    {
        foreach (var level in levels)
        {
            into.Add(new P.BookLevel { Price = (ulong)level.Price, Size = (ulong)level.TotalSize, Orders = (uint)level.OrderCount });
        }
    }

    public static P.TxReceipt Receipt(in Receipt receipt, in Transaction tx)
    {
        var message = new P.TxReceipt
        {
            Index = (uint)receipt.TxIndex,
            Accepted = receipt.IsAccepted,
            OrderId = receipt.OrderId,
            FilledSize = (ulong)receipt.FilledSize,
            RestingSize = (ulong)receipt.RestingSize,
            TxHash = Bytes(TransactionHash.Of(tx)),
        };
        if (!receipt.IsAccepted)
        {
            message.Rejection = Rejection(receipt.Status);
        }
        if (receipt.Items is { } items)
        {
            foreach (var item in items.Span)
            {
                var view = new P.BulkItemReceipt
                {
                    Accepted = item.IsAccepted, OrderId = item.OrderId, FilledSize = (ulong)item.FilledSize, RestingSize = (ulong)item.RestingSize,
                };
                if (!item.IsAccepted)
                {
                    view.Rejection = Rejection(item.Status);
                }
                message.Items.Add(view);
            }
        }
        return message;
    }

    private static P.Rejection Rejection(TxStatus status) => new() { Code = (uint)status, Name = status.ToString(), Reason = TxStatusReasons.Of(status) };

    public static P.Block Block(ulong number, ulong timestamp, Hash256 stateRoot, Hash256 withdrawalsRoot, Transaction[] transactions, Receipt[] receipts)
    {
        var block = new P.Block { Number = number, Timestamp = timestamp, StateRoot = Bytes(stateRoot), WithdrawalsRoot = Bytes(withdrawalsRoot) };
        for (var i = 0; i < transactions.Length; i++)
        {
            block.Transactions.Add(TransactionMapping.ToProto(transactions[i]));
            block.Receipts.Add(Receipt(receipts[i], transactions[i]));
        }
        return block;
    }

    public static P.MerkleProof Proof(MerkleProof proof)
    {
        var message = new P.MerkleProof { LeafKey = Bytes(proof.LeafKey), LeafValueHash = Bytes(proof.LeafValueHash) };
        foreach (var sibling in proof.Siblings)
        {
            message.Siblings.Add(Bytes(sibling));
        }
        return message;
    }
}
