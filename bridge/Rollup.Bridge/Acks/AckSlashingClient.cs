using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Primitives;

namespace Rollup.Bridge.Acks;

/// <summary>
/// The ack slashing contract on L1 (<c>AckSlashing</c>, docs/acks.md "Enforcing an ack"): deploys it, adds to the
/// sequencer's bond, submits a slashing proof built by <see cref="AckChecker"/> (estimated first, so a refusal is an
/// <see cref="AckSlashingRevertedException"/> naming the contract's custom error), and reads the bond and the ledger.
/// </summary>
public sealed class AckSlashingClient
{
    private static readonly Lazy<ContractArtifact> LazyArtifact = new(() => ContractArtifact.Load("AckSlashing"));

    private readonly L1Client _l1;
    private readonly ContractCalls _calls;

    public AckSlashingClient(L1Client l1, Address contract, TransactionSender? sender = null)
    {
        ArgumentNullException.ThrowIfNull(l1);
        _l1 = l1;
        Address = contract;
        _calls = new ContractCalls(l1, sender, Artifact, Address, Artifact.Errors, "ack slashing contract", static (function, reason, inner) => new AckSlashingRevertedException(function, reason, inner));
    }

    public static ContractArtifact Artifact => LazyArtifact.Value;

    public Address Address { get; }

    public AckSlashingClient As(TransactionSender sender) => new(_l1, Address, sender);

    public static async Task<AckSlashingClient> DeployAsync(
        L1Client l1, TransactionSender deployer, Address settlement, ulong l2ChainId, AckSlashingConfig config, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(config);
        var code = Artifact.DeploymentData(settlement.ToString(), new BigInteger(l2ChainId), config.SlashAmount, config.BurnPpm, config.BondDelayBlocks);
        var deployment = await deployer.DeployAsync(code, cancellation).ConfigureAwait(false);
        return new AckSlashingClient(l1, deployment.Address, deployer);
    }

    public Task<L1Receipt> DepositBondAsync(BigInteger amount, CancellationToken cancellation = default) =>
        SendAsync("depositBond", Artifact.EncodeCall("depositBond"), amount, cancellation);

    /// <summary>
    /// Submits the proof of <paramref name="verdict"/> (an equivocation, or an omission in a final batch) for
    /// <paramref name="ack"/>; the slash is owed to <paramref name="recipient"/>, or to this client's account when null.
    /// </summary>
    public Task<L1Receipt> SlashAsync(SignedAck ack, AckVerdict verdict, Address? recipient = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        ArgumentNullException.ThrowIfNull(verdict);
        var evidence = verdict.Evidence ?? throw new ArgumentException($"a {verdict.Kind} verdict carries no slashing proof", nameof(verdict));
        var siblings = evidence.Siblings.Select(s => s.ToArray()).ToList();
        var to = (recipient ?? Address.Zero).ToString();
        var call = verdict.Kind switch
        {
            AckVerdictKind.Equivocation => Artifact.EncodeCall("slashEquivocation", Tuple(ack), evidence.BatchIndex, evidence.PostedTxHash.ToArray(), siblings, to),
            AckVerdictKind.Omission => Artifact.EncodeCall(
                "slashOmission", Tuple(ack), evidence.BatchIndex, evidence.EndingKey.ToArray(), evidence.EndingValueHash.ToArray(), siblings, to),
            _ => throw new ArgumentException($"a {verdict.Kind} verdict is no violation", nameof(verdict)),
        };
        return SendAsync(verdict.Kind == AckVerdictKind.Equivocation ? "slashEquivocation" : "slashOmission", call, BigInteger.Zero, cancellation);
    }

    /// <summary>The equivocation proof with any posted hash and siblings: for showing what the contract refuses.</summary>
    public Task<L1Receipt> SlashEquivocationAsync(SignedAck ack, ulong batchIndex, Hash256 postedTxHash, IReadOnlyList<Hash256> siblings, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        ArgumentNullException.ThrowIfNull(siblings);
        var call = Artifact.EncodeCall("slashEquivocation", Tuple(ack), batchIndex, postedTxHash.ToArray(), siblings.Select(s => s.ToArray()).ToList(), Address.Zero.ToString());
        return SendAsync("slashEquivocation", call, BigInteger.Zero, cancellation);
    }

    public Task<L1Receipt> WithdrawAsync(CancellationToken cancellation = default) =>
        SendAsync("withdraw", Artifact.EncodeCall("withdraw"), BigInteger.Zero, cancellation);

    public async Task<BigInteger> GetBondAsync(CancellationToken cancellation = default) =>
        (BigInteger)(await CallAsync("bond", cancellation).ConfigureAwait(false))[0].Result;

    public async Task<BigInteger> GetCreditAsync(Address account, CancellationToken cancellation = default) =>
        (BigInteger)(await CallAsync("credit", cancellation, account.ToString()).ConfigureAwait(false))[0].Result;

    public async Task<bool> IsSlashedAsync(SignedAck ack, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var id = (byte[])(await CallAsync("ackId", cancellation, ack.Sequence, ack.TxHash.ToArray()).ConfigureAwait(false))[0].Result;
        return (bool)(await CallAsync("slashed", cancellation, id).ConfigureAwait(false))[0].Result;
    }

    private static object[] Tuple(SignedAck ack) => [ack.Sequence, ack.TxHash.ToArray(), ack.Root.ToArray(), ack.ProofWords(), ack.Signature];

    // ---- plumbing ----

    private TransactionSender Sender => _calls.Sender;

    private Task<List<ParameterOutput>> CallAsync(string function, CancellationToken cancellation, params object[] arguments) =>
        _calls.CallAsync(function, cancellation, arguments);

    private Task<L1Receipt> SendAsync(string function, byte[] calldata, BigInteger value, CancellationToken cancellation) =>
        _calls.SendAsync(function, calldata, value, cancellation);
}
