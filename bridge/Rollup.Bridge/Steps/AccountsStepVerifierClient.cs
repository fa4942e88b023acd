using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Steps;

/// <summary>
/// The L1 one-step verifier of the accounts domain (<c>AccountsStepVerifier</c>, docs/steps.md): deploys it, and asks
/// it for the state after one step of a trace. A challenger's and a defender's view of the contract.
/// </summary>
public sealed class AccountsStepVerifierClient(L1Client l1, Address verifier)
{
    private static readonly Lazy<ContractArtifact> LazyArtifact = new(() => ContractArtifact.Load("AccountsStepVerifier"));

    public static ContractArtifact Artifact => LazyArtifact.Value;

    public Address Address => verifier;

    /// <summary>Deploys a verifier bound to a chain's constants: its EIP-712 domain and its operator keys.</summary>
    public static async Task<AccountsStepVerifierClient> DeployAsync(
        L1Client l1, TransactionSender deployer, ulong chainId, Address settlement, IReadOnlyList<Address> operators, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(operators);
        var keys = new List<string>(operators.Count);
        foreach (var op in operators)
        {
            keys.Add(op.ToString());
        }
        var code = Artifact.DeploymentData(new BigInteger(chainId), settlement.ToString(), keys);
        var deployment = await deployer.DeployAsync(code, cancellation).ConfigureAwait(false);
        return new AccountsStepVerifierClient(l1, deployment.Address);
    }

    /// <summary>The verifier's post state for <paramref name="step"/>; throws <see cref="L1CallRevertedException"/> when it refuses the step.</summary>
    public async Task<AccountsState> StepAsync(AccountsState pre, AccountsStepContext context, L1Deposit deposit, IReadOnlyList<StepLeaf> witness, CancellationToken cancellation = default)
    {
        var call = new CallInput(Hex.ToHex(EncodeStep(pre, context, deposit, witness)), verifier.ToString());
        var output = await l1.RunAsync("step", eth => eth.Transactions.Call.SendRequestAsync(call, BlockParameter.CreateLatest()), cancellation).ConfigureAwait(false);
        var decoded = new FunctionCallDecoder().DecodeDefaultData(output, Artifact.Function("step").OutputParameters);
        return DecodeState((List<ParameterOutput>)decoded[0].Result);
    }

    /// <summary>Gas the verifier spends on <paramref name="step"/> as a transaction of its own (eth_estimateGas).</summary>
    public async Task<ulong> EstimateGasAsync(AccountsState pre, AccountsStepContext context, L1Deposit deposit, IReadOnlyList<StepLeaf> witness, CancellationToken cancellation = default)
    {
        var call = new CallInput(Hex.ToHex(EncodeStep(pre, context, deposit, witness)), verifier.ToString());
        HexBigInteger gas = await l1.RunAsync("eth_estimateGas", eth => eth.Transactions.EstimateGas.SendRequestAsync(call), cancellation).ConfigureAwait(false);
        return (ulong)gas.Value;
    }

    /// <summary>Calldata of <c>step(pre, batch, deposit, witness)</c>.</summary>
    public static byte[] EncodeStep(AccountsState pre, AccountsStepContext context, L1Deposit deposit, IReadOnlyList<StepLeaf> witness)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(witness);
        object[] batch = [context.TxRoot.ToArray(), context.BlocksRoot.ToArray(), AccountsStepAbi.Outboxes(context.MarketOutboxes)];
        object[] l1Deposit = [deposit.Account.ToString(), deposit.Amount];
        return Artifact.EncodeCall("step", AccountsStepAbi.State(pre), batch, l1Deposit, AccountsStepAbi.Witness(witness));
    }

    private static AccountsState DecodeState(List<ParameterOutput> fields)
    {
        Hash256 H(int i) => new((byte[])fields[i].Result);
        ulong U(int i) => (ulong)(BigInteger)fields[i].Result;
        long I(int i) => (long)(BigInteger)fields[i].Result;
        return new AccountsState
        {
            AccountsRoot = H(0),
            RegistryRoot = H(1),
            NextDepositIndex = U(2),
            TotalDeposits = I(3),
            TotalWithdrawals = I(4),
            WithdrawalsRoot = H(5),
            OutboxRoot = H(6),
            ReceiptsHash = H(7),
            Block = U(8),
            FirstSequence = U(9),
            TxCount = (uint)U(10),
            TxIndex = (uint)U(11),
            RepliesRoot = H(12),
            ReplyCount = (uint)U(13),
            NextReply = (uint)U(14),
            RoutedRoot = H(15),
            NextSlot = (uint)U(16),
        };
    }
}
