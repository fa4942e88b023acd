using Google.Protobuf;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Execution.State.Merkle;
using Grpc.Net.Client;
using Rollup.Primitives;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Bridge;

/// <summary>
/// Claims an L2 withdrawal on L1: finds the committed batch holding its block (L1 events), asks a node
/// (sequencer or validator) for the proof over that batch's blocks and the batch's accounts claim end, checks that end
/// against the accounts claim L1 holds for the batch (as it stands, re-posted after a fall) and the proof against that
/// end's withdrawals root, waits for the batch to be final, and for the markets it drew held funds from to be final
/// through the batches holding them (docs/disputes.md, rule 5), if asked to, and sends <c>claimWithdrawal</c>. Every L1 step goes through
/// an <see cref="L1RetryBudget"/> (the tool has no loop to come back later), and a claim sent again after a lost answer
/// first looks whether the earlier one landed: the contract pays a withdrawal once, and the tool says which run paid it.
/// </summary>
public sealed class WithdrawalClaimer(SettlementClient settlement, GrpcChannel node, TextWriter progress, L1RetryBudget? retry = null)
{
    private readonly L1RetryBudget _retry = retry ?? new L1RetryBudget(TimeSpan.Zero, progress);

    /// <summary>The withdrawal named by its transaction's hash: the node says its block and index, then as below.</summary>
    public async Task<ClaimOutcome> ClaimAsync(Hash256 txHash, bool wait, CancellationToken cancellation)
    {
        P.LocatedReceipt located;
        try
        {
            located = await new P.Query.QueryClient(node).GetReceiptByHashAsync(
                new P.GetReceiptByHashRequest { TxHash = ByteString.CopyFrom(txHash.Bytes) }, cancellationToken: cancellation).ConfigureAwait(false);
        }
        catch (Grpc.Core.RpcException error) when (error.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            // Not yet executed, or no such transaction: the node's sentence says which to suspect.
            return new ClaimOutcome(ClaimResult.NotAWithdrawal, error.Status.Detail);
        }
        return await ClaimAsync(located.BlockNumber, located.Index, wait, cancellation).ConfigureAwait(false);
    }

    public async Task<ClaimOutcome> ClaimAsync(ulong l2Block, uint txIndex, bool wait, CancellationToken cancellation)
    {
        if (await _retry.RunAsync("finding the batch (eth_getLogs)", ct => settlement.FindBatchAsync(l2Block, ct), cancellation).ConfigureAwait(false) is not { } batch)
        {
            return new ClaimOutcome(ClaimResult.NotYet, $"block {l2Block} is not in a committed batch yet: try again once the sequencer has posted it");
        }
        P.WithdrawalProof proof;
        try
        {
            proof = await new P.Query.QueryClient(node).GetWithdrawalProofAsync(
                new P.GetWithdrawalProofRequest { FirstBlock = batch.FirstBlock, LastBlock = batch.LastBlock, Block = l2Block, TxIndex = txIndex, FirstSequence = batch.FirstSequence, WithAccountsEnd = true }, cancellationToken: cancellation).ConfigureAwait(false);
        }
        catch (Grpc.Core.RpcException error) when (error.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            return new ClaimOutcome(ClaimResult.NotAWithdrawal, error.Status.Detail);
        }
        var account = new Address(proof.Account.Span);
        var siblings = new List<Hash256>(proof.Siblings.Count);
        foreach (var sibling in proof.Siblings)
        {
            siblings.Add(new Hash256(sibling.Span));
        }
        var (accounts, reason) = await _retry.RunAsync("reading the batch's accounts claim", ct => settlement.OpenAccountsEndAsync(batch.BatchIndex, proof.AccountsEnd.ToByteArray(), ct), cancellation).ConfigureAwait(false);
        if (accounts is null)
        {
            return new ClaimOutcome(ClaimResult.NotAWithdrawal, $"the node's accounts end for batch {batch.BatchIndex} is not the accounts claim L1 holds for it ({reason}): is the node on this chain?");
        }
        var drawn = new List<HeldDrawCover>(proof.Drawn.Count);
        foreach (var draw in proof.Drawn)
        {
            if (await _retry.RunAsync("finding a held credit's batch (eth_getLogs)", ct => settlement.FindBatchAsync(draw.Block, ct), cancellation).ConfigureAwait(false) is not { } holding)
            {
                return new ClaimOutcome(ClaimResult.NotAWithdrawal, $"the node says the withdrawal drew on funds held for market {draw.Market} from block {draw.Block}, which no committed batch holds: is the node on this chain?");
            }
            drawn.Add(new HeldDrawCover(draw.Market, draw.Block, holding.BatchIndex));
        }
        var withdrawal = new Withdrawal(l2Block, (int)txIndex, account, checked((long)proof.Amount),
            drawn.Count == 0 ? null : new ValueArray<HeldDraw>([.. drawn.Select(d => new HeldDraw(d.Market, d.L2Block))]));
        var path = new MerkleProof(siblings, ExecutionEngine.WithdrawalKey(withdrawal), ExecutionEngine.WithdrawalValueHash(withdrawal));
        if (!path.Verify(accounts.WithdrawalsRoot, ExecutionEngine.WithdrawalKey(withdrawal), ExecutionEngine.WithdrawalValueHash(withdrawal)))
        {
            return new ClaimOutcome(ClaimResult.NotAWithdrawal, $"the node's proof does not lead to the withdrawals root of batch {batch.BatchIndex}'s accounts claim ({accounts.WithdrawalsRoot}): is the node on this chain?");
        }
        if (await _retry.RunAsync("reading the claim", ct => settlement.IsClaimedAsync(l2Block, txIndex, ct), cancellation).ConfigureAwait(false))
        {
            return new ClaimOutcome(ClaimResult.AlreadyClaimed, $"withdrawal {l2Block}/{txIndex} was already claimed: nothing to do");
        }
        var finalAt = await _retry.RunAsync("reading finality", ct => settlement.GetFinalAtAsync(batch.BatchIndex, ct), cancellation).ConfigureAwait(false);
        while (await NotPayableAsync(batch.BatchIndex, finalAt, drawn, cancellation).ConfigureAwait(false) is { } notYet)
        {
            if (!wait)
            {
                return new ClaimOutcome(ClaimResult.NotYet, $"{notYet}: run again then, or pass --wait");
            }
            await progress.WriteLineAsync($"waiting: {notYet}").ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellation).ConfigureAwait(false);
        }
        await progress.WriteLineAsync($"claiming {proof.Amount} for {account} from batch {batch.BatchIndex}").ConfigureAwait(false);
        var sent = false;
        try
        {
            var receipt = await _retry.RunAsync<L1Receipt?>("sending claimWithdrawal", async ct =>
            {
                // An earlier attempt may have landed with its answer lost: look before sending again.
                if (sent && await settlement.IsClaimedAsync(l2Block, txIndex, ct).ConfigureAwait(false))
                {
                    return null;
                }
                sent = true;
                return await settlement.ClaimWithdrawalAsync(batch.BatchIndex, l2Block, txIndex, account, proof.Amount, drawn, siblings, accounts, ct).ConfigureAwait(false);
            }, cancellation).ConfigureAwait(false);
            return receipt is null
                ? new ClaimOutcome(ClaimResult.Claimed, $"claimed {proof.Amount} for {account} from batch {batch.BatchIndex}: L1 shows it claimed after an attempt whose answer was lost (that attempt's transaction, unless another claimer's landed first)")
                : new ClaimOutcome(ClaimResult.Claimed, $"claimed {proof.Amount} for {account} from batch {batch.BatchIndex}: L1 transaction {receipt.TransactionHash} in block {receipt.BlockNumber}");
        }
        catch (Rollup.Bridge.Posting.L1RevertedException) when (sent)
        {
            // Refused (in the estimate or on chain) after an attempt whose answer was lost: if that attempt landed, the
            // withdrawal is paid and the refusal is the contract's AlreadyClaimed; if not, the refusal is the answer.
            if (await _retry.RunAsync("reading the claim", ct => settlement.IsClaimedAsync(l2Block, txIndex, ct), cancellation).ConfigureAwait(false))
            {
                return new ClaimOutcome(ClaimResult.Claimed, $"claimed {proof.Amount} for {account} from batch {batch.BatchIndex}: L1 refused a second claim after an attempt whose answer was lost (that attempt's transaction landed, unless another claimer's did first)");
            }
            throw;
        }
    }

    /// <summary>
    /// Why L1 would not pay the withdrawal yet, or null: its batch is not final (the accounts claim), or a market it drew
    /// held funds from is not final through the batch holding them (docs/disputes.md, rule 5).
    /// </summary>
    private async Task<string?> NotPayableAsync(ulong batchIndex, ulong finalAt, List<HeldDrawCover> drawn, CancellationToken cancellation)
    {
        if (!await _retry.RunAsync("reading finality", ct => settlement.IsFinalizedAsync(batchIndex, ct), cancellation).ConfigureAwait(false))
        {
            var now = await _retry.RunAsync("reading the L1 head", ct => settlement.Rpc.GetBlockNumberAsync(ct), cancellation).ConfigureAwait(false);
            return $"batch {batchIndex} is final from L1 block {finalAt}; L1 is at {now}";
        }
        foreach (var draw in drawn)
        {
            if (await _retry.RunAsync("reading a market's claim", ct => settlement.HeldCoverMissingAsync(draw, ct), cancellation).ConfigureAwait(false) is { } missing)
            {
                return $"the withdrawal drew on funds held for market {draw.Market}: {missing}";
            }
        }
        return null;
    }
}

/// <summary>What a claim came to; each has its own exit code in <c>rollup withdraw</c> (docs/bridge.md).</summary>
public enum ClaimResult
{
    Claimed,

    /// <summary>Not in a committed batch yet, or its batch not final yet: run again later.</summary>
    NotYet,

    /// <summary>Claimed before: nothing to do (a script must not retry it).</summary>
    AlreadyClaimed,

    /// <summary>The transaction is not an accepted withdrawal, or the node's proof is not L1's.</summary>
    NotAWithdrawal,
}

public sealed record ClaimOutcome(ClaimResult Result, string Message)
{
    public bool Claimed => Result == ClaimResult.Claimed;
}
