using Rollup.Execution.Blocks;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.State.Proofs;

/// <summary>
/// An account's free balance and nonce window under a state root: the account record, its path in the
/// accounts tree, and the markets root that completes the state root.
/// </summary>
public sealed record AccountProof(Address Account, byte[] Record, MerkleProof Path, Hash256 MarketsRoot)
{
    public long FreeBalance => StateRecords.DecodeAccount(Record).FreeBalance;
}

/// <summary>
/// One position (size and collateral) in one market under a state root: the record, its path in the
/// market's tree, the market root's path in the market-roots tree, and the accounts root.
/// </summary>
public sealed record PositionProof(uint Market, Address Account, byte[] Record, MerkleProof PathInMarket, MerkleProof MarketRootPath, Hash256 AccountsRoot)
{
    public (long Size, long Collateral) Position
    {
        get
        {
            var (size, collateral, _) = StateRecords.DecodePosition(Record);
            return (size, collateral);
        }
    }
}

/// <summary>A market's record in its tree, and that tree's root in the market-roots tree.</summary>
public sealed record MarketRecordProof(uint Market, byte[] Record, MerkleProof PathInMarket, MerkleProof MarketRootPath, Hash256 AccountsRoot);

/// <summary>A withdrawal under its block's withdrawals root.</summary>
public sealed record WithdrawalProof(Withdrawal Withdrawal, MerkleProof Path);

/// <summary>
/// Checks the proofs with nothing but Keccak-256 and the tree rules (docs/state.md): what a light client,
/// a validator or the L1 contract does. None of it reads state.
/// </summary>
public static class StateProofVerifier
{
    public static bool Verify(AccountProof proof, in Hash256 stateRoot)
    {
        var accountsRoot = proof.Path.ComputeRoot(StateTrees.AccountKey(proof.Account), Keccak256.Compute(proof.Record));
        return accountsRoot is { } root && StateTrees.StateRoot(root, proof.MarketsRoot) == stateRoot;
    }

    public static bool Verify(MarketRecordProof proof, in Hash256 stateRoot)
    {
        var marketRoot = proof.PathInMarket.ComputeRoot(StateTrees.MarketRecordKey(), Keccak256.Compute(proof.Record));
        var marketsRoot = marketRoot is { } market ? proof.MarketRootPath.ComputeRoot(StateTrees.MarketRootKey(proof.Market), market) : null;
        return marketsRoot is { } markets && StateTrees.StateRoot(proof.AccountsRoot, markets) == stateRoot;
    }

    public static bool Verify(PositionProof proof, in Hash256 stateRoot)
    {
        var marketRoot = proof.PathInMarket.ComputeRoot(StateTrees.PositionKey(proof.Account), Keccak256.Compute(proof.Record));
        if (marketRoot is not { } market)
        {
            return false;
        }
        var marketsRoot = proof.MarketRootPath.ComputeRoot(StateTrees.MarketRootKey(proof.Market), market);
        return marketsRoot is { } markets && StateTrees.StateRoot(proof.AccountsRoot, markets) == stateRoot;
    }

    public static bool Verify(WithdrawalProof proof, in Hash256 withdrawalsRoot) =>
        proof.Path.Verify(withdrawalsRoot, ExecutionEngine.WithdrawalKey(proof.Withdrawal), ExecutionEngine.WithdrawalValueHash(proof.Withdrawal));

    /// <summary>Builds the proof of one of a block's withdrawals from the block's withdrawal list.</summary>
    public static WithdrawalProof ProveWithdrawal(IReadOnlyList<Withdrawal> blockWithdrawals, int index)
    {
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var updates = new MerkleUpdate[blockWithdrawals.Count];
        for (var i = 0; i < updates.Length; i++)
        {
            updates[i] = new MerkleUpdate(ExecutionEngine.WithdrawalKey(blockWithdrawals[i]), ExecutionEngine.WithdrawalValueHash(blockWithdrawals[i]));
        }
        tree.Update(updates);
        return new WithdrawalProof(blockWithdrawals[index], tree.GetProof(ExecutionEngine.WithdrawalKey(blockWithdrawals[index])));
    }
}
