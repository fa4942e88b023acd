using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;

namespace Rollup.Bridge.Steps;

/// <summary>
/// The L1 one-step verifier of a market domain (<c>MarketStepVerifier</c> and its provers, docs/market-verifier.md):
/// deploys them, and asks the verifier for the state after one step of a market's trace.
/// </summary>
public sealed class MarketStepVerifierClient(L1Client l1, Address verifier)
{
    /// <summary>The provers, in the order the verifier's constructor takes their addresses.</summary>
    private static readonly string[] Provers = ["MarketBlockProver", "MarketMessageProver", "MarketOrderProver", "MarketLiquidationProver", "MarketBulkProver", "MarketBulkPlaceProver"];

    private static readonly Lazy<ContractArtifact> LazyArtifact = new(() => ContractArtifact.Load("MarketStepVerifier"));

    private static readonly Lazy<IReadOnlyList<ErrorABI>> LazyErrors = new(() =>
    {
        // A prover's revert comes back through the verifier: its errors (OrderedTree's, TransactionDecoder's) count too.
        var errors = new Dictionary<string, ErrorABI>();
        foreach (var name in Provers.Prepend("MarketStepVerifier"))
        {
            foreach (var error in ContractArtifact.Load(name).Errors)
            {
                errors.TryAdd(error.Sha3Signature, error);
            }
        }
        return errors.Values.ToList();
    });

    public static ContractArtifact Artifact => LazyArtifact.Value;

    /// <summary>Every custom error the verifier can revert with, its provers' included.</summary>
    public static IReadOnlyList<ErrorABI> Errors => LazyErrors.Value;

    public Address Address => verifier;

    /// <summary>Deploys the provers, then the verifier that dispatches to them.</summary>
    public static async Task<MarketStepVerifierClient> DeployAsync(L1Client l1, TransactionSender deployer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        var addresses = new List<object>(Provers.Length);
        foreach (var name in Provers)
        {
            var prover = await deployer.DeployAsync(ContractArtifact.Load(name).DeploymentData(), cancellation).ConfigureAwait(false);
            addresses.Add(prover.Address.ToString());
        }
        var deployment = await deployer.DeployAsync(Artifact.DeploymentData([.. addresses]), cancellation).ConfigureAwait(false);
        return new MarketStepVerifierClient(l1, deployment.Address);
    }

    /// <summary>The raw output of a call of the verifier with <paramref name="calldata"/>, for calls no step encodes.</summary>
    internal async Task<string> CallAsync(byte[] calldata, CancellationToken cancellation = default)
    {
        var call = new CallInput(Hex.ToHex(calldata), verifier.ToString());
        return await l1.RunAsync("step", eth => eth.Transactions.Call.SendRequestAsync(call, BlockParameter.CreateLatest()), cancellation).ConfigureAwait(false);
    }

    /// <summary>The verifier's post state for the step; throws <see cref="L1CallRevertedException"/> when it refuses it.</summary>
    public async Task<MarketState> StepAsync(MarketState pre, MarketStepContext context, IReadOnlyList<MarketWitnessLeaf> witness, CancellationToken cancellation = default)
    {
        var output = await CallAsync(EncodeStep(pre, context, witness), cancellation).ConfigureAwait(false);
        var decoded = new FunctionCallDecoder().DecodeDefaultData(output, Artifact.Function("step").OutputParameters);
        return MarketStepAbi.DecodeState((List<ParameterOutput>)decoded[0].Result, (List<ParameterOutput>)decoded[1].Result);
    }

    /// <summary>Gas the verifier spends on the step as a transaction of its own (eth_estimateGas).</summary>
    public async Task<ulong> EstimateGasAsync(MarketState pre, MarketStepContext context, IReadOnlyList<MarketWitnessLeaf> witness, CancellationToken cancellation = default)
    {
        var call = new CallInput(Hex.ToHex(EncodeStep(pre, context, witness)), verifier.ToString());
        HexBigInteger gas = await l1.RunAsync("eth_estimateGas", eth => eth.Transactions.EstimateGas.SendRequestAsync(call), cancellation).ConfigureAwait(false);
        return (ulong)gas.Value;
    }

    /// <summary>Calldata of <c>step(pre, bytes, context, witness)</c>.</summary>
    public static byte[] EncodeStep(MarketState pre, MarketStepContext context, IReadOnlyList<MarketWitnessLeaf> witness) =>
        Artifact.EncodeCall("step", MarketStepAbi.State(pre), MarketStepAbi.Bytes(pre), MarketStepAbi.Context(context), MarketStepAbi.Witness(witness));
}
