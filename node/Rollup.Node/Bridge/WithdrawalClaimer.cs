using Google.Protobuf;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Blocks;
using Rollup.Execution.State.Merkle;
using Grpc.Net.Client;
using Rollup.Primitives;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Bridge;

/// <summary>
/// Claims an L2 withdrawal on L1: finds the committed batch holding its block (L1 events), asks a node
/// (sequencer or validator) for the proof over that batch's blocks, checks the proof against the root L1
/// recorded, waits for the batch to be final if asked to, and sends <c>claimWithdrawal</c>.
/// </summary>
public sealed class WithdrawalClaimer(SettlementClient settlement, GrpcChannel node, TextWriter progress)
{
    public async Task<ClaimOutcome> ClaimAsync(ulong l2Block, uint txIndex, bool wait, CancellationToken cancellation)
    {
        if (await settlement.FindBatchAsync(l2Block, cancellation).ConfigureAwait(false) is not { } batch)
        {
            return new ClaimOutcome(false, $"block {l2Block} is not in a committed batch yet: try again once the sequencer has posted it");
        }
        var proof = await new P.Query.QueryClient(node).GetWithdrawalProofAsync(
            new P.GetWithdrawalProofRequest { FirstBlock = batch.FirstBlock, LastBlock = batch.LastBlock, Block = l2Block, TxIndex = txIndex }, cancellationToken: cancellation).ConfigureAwait(false);
        var account = new Address(proof.Account.Span);
        var siblings = new List<Hash256>(proof.Siblings.Count);
        foreach (var sibling in proof.Siblings)
        {
            siblings.Add(new Hash256(sibling.Span));
        }
        var withdrawal = new Withdrawal(l2Block, (int)txIndex, account, checked((long)proof.Amount));
        var path = new MerkleProof(siblings, ExecutionEngine.WithdrawalKey(withdrawal), ExecutionEngine.WithdrawalValueHash(withdrawal));
        if (!path.Verify(batch.WithdrawalsRoot, ExecutionEngine.WithdrawalKey(withdrawal), ExecutionEngine.WithdrawalValueHash(withdrawal)))
        {
            return new ClaimOutcome(false, $"the node's proof does not lead to the withdrawals root L1 recorded for batch {batch.BatchIndex} ({batch.WithdrawalsRoot}): is the node on this chain?");
        }
        if (await settlement.IsClaimedAsync(l2Block, txIndex, cancellation).ConfigureAwait(false))
        {
            return new ClaimOutcome(false, $"withdrawal {l2Block}/{txIndex} was already claimed");
        }
        var finalAt = await settlement.GetFinalAtAsync(batch.BatchIndex, cancellation).ConfigureAwait(false);
        while (!await settlement.IsFinalizedAsync(batch.BatchIndex, cancellation).ConfigureAwait(false))
        {
            var now = await settlement.Rpc.GetBlockNumberAsync(cancellation).ConfigureAwait(false);
            if (!wait)
            {
                return new ClaimOutcome(false, $"batch {batch.BatchIndex} is final from L1 block {finalAt}; L1 is at {now}: run again then, or pass --wait");
            }
            await progress.WriteLineAsync($"waiting for batch {batch.BatchIndex} to be final at L1 block {finalAt} (now {now})").ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellation).ConfigureAwait(false);
        }
        var receipt = await settlement.ClaimWithdrawalAsync(batch.BatchIndex, l2Block, txIndex, account, proof.Amount, siblings, cancellation).ConfigureAwait(false);
        return new ClaimOutcome(true, $"claimed {proof.Amount} for {account} from batch {batch.BatchIndex}: L1 transaction {receipt.TransactionHash} in block {receipt.BlockNumber}");
    }
}

public sealed record ClaimOutcome(bool Claimed, string Message);
