using System.Buffers.Binary;
using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Steps;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The bisection game on L1 (<c>DisputeGame</c>, docs/disputes.md) as one party sees it: deploys the game and the
/// one-step provers of the accounts and the market domains, makes that party's moves (each estimated first, so a refusal is a
/// <see cref="DisputeGameRevertedException"/> naming the game's, the prover's or the verifier's custom error), and
/// reads a game's state, its clocks and the bonds' ledger. One client per key: <see cref="As"/> gives another
/// party's view of the same game contract.
/// </summary>
public sealed class DisputeGameClient
{
    private static readonly Lazy<ContractArtifact> LazyArtifact = new(() => ContractArtifact.Load("DisputeGame"));
    private static readonly Lazy<ContractArtifact> LazyProverArtifact = new(() => ContractArtifact.Load("AccountsOneStepProver"));
    private static readonly Lazy<IReadOnlyList<ErrorABI>> LazyErrors = new(() =>
        Artifact.Errors.Concat(ProverArtifact.Errors).Concat(AccountsStepVerifierClient.Artifact.Errors)
            .Concat(MarketOneStepProof.Artifact.Errors).Concat(MarketStepVerifierClient.Errors)
            .GroupBy(e => e.Sha3Signature).Select(g => g.First()).ToList());

    private readonly L1Client _l1;
    private readonly ContractCalls _calls;

    public DisputeGameClient(L1Client l1, Address game, TransactionSender? sender = null)
    {
        ArgumentNullException.ThrowIfNull(l1);
        _l1 = l1;
        Address = game;
        _calls = new ContractCalls(l1, sender, Artifact, Address, Errors, "dispute game", static (function, reason, inner) => new DisputeGameRevertedException(function, reason, inner));
    }

    public static ContractArtifact Artifact => LazyArtifact.Value;

    public static ContractArtifact ProverArtifact => LazyProverArtifact.Value;

    /// <summary>Every custom error a move can revert with: the game's, each prover's and those of the verifiers they call.</summary>
    public static IReadOnlyList<ErrorABI> Errors => LazyErrors.Value;

    public Address Address { get; }

    /// <summary>The account this client moves as.</summary>
    public Address From => Sender.Address;

    /// <summary>The same game as the party with <paramref name="sender"/>'s key.</summary>
    public DisputeGameClient As(TransactionSender sender) => new(_l1, Address, sender);

    /// <summary>Deploys the accounts domain's one-step prover over a deployed settlement contract and <c>AccountsStepVerifier</c>.</summary>
    public static async Task<Address> DeployAccountsProverAsync(TransactionSender deployer, Address settlement, Address verifier, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        var code = ProverArtifact.DeploymentData(settlement.ToString(), verifier.ToString());
        return (await deployer.DeployAsync(code, cancellation).ConfigureAwait(false)).Address;
    }

    /// <summary>
    /// Deploys a market domain's one-step prover over a deployed settlement contract (whose claims it reads the accounts
    /// claim from) and <c>MarketStepVerifier</c>, with the engine's default F and C.
    /// </summary>
    public static Task<Address> DeployMarketProverAsync(TransactionSender deployer, Address settlement, Address verifier, CancellationToken cancellation) =>
        DeployMarketProverAsync(deployer, settlement, verifier, MarketStepContext.DefaultBookOps, MarketStepContext.DefaultCancels, cancellation);

    /// <summary>
    /// Deploys a market domain's one-step prover over a deployed settlement contract and <c>MarketStepVerifier</c> (the
    /// one <c>MarketStepVerifierClient</c> deploys), with the step function's F and C, which must be the engine's.
    /// </summary>
    public static async Task<Address> DeployMarketProverAsync(
        TransactionSender deployer, Address settlement, Address verifier, int bookOpsPerStep, int cancelsPerStep, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        var code = MarketOneStepProof.Artifact.DeploymentData(settlement.ToString(), verifier.ToString(), (uint)bookOpsPerStep, (uint)cancelsPerStep);
        return (await deployer.DeployAsync(code, cancellation).ConfigureAwait(false)).Address;
    }

    /// <summary>Deploys the game with the accounts prover and no market prover: market claims cannot be disputed in it.</summary>
    public static Task<DisputeGameClient> DeployAsync(
        L1Client l1, TransactionSender deployer, Address settlement, Address accountsProver, DisputeGameConfig config, CancellationToken cancellation) =>
        DeployAsync(l1, deployer, settlement, accountsProver, Address.Zero, config, cancellation);

    /// <summary>Deploys the game with the accounts prover and the market prover (<see cref="Address.Zero"/>: none).</summary>
    public static async Task<DisputeGameClient> DeployAsync(
        L1Client l1, TransactionSender deployer, Address settlement, Address accountsProver, Address marketProver, DisputeGameConfig config, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(config);
        var code = Artifact.DeploymentData(
            settlement.ToString(), accountsProver.ToString(), marketProver.ToString(),
            config.ChallengerBond, config.DefenderBond, config.ClockBlocks, config.BurnPpm);
        var deployment = await deployer.DeployAsync(code, cancellation).ConfigureAwait(false);
        return new DisputeGameClient(l1, deployment.Address, deployer);
    }

    /// <summary><c>keccak256(abi.encode(batchIndex, kind, market, challenger))</c> (<c>gameIdOf</c>): one game per challenger and claim.</summary>
    public static Hash256 GameIdOf(ulong batchIndex, DomainId domain, Address challenger) => GameIdAt(batchIndex, domain, challenger, 0);

    /// <summary>
    /// The game id of a challenger against the claim's <paramref name="version"/> (<c>gameIdAt</c>): version 0 (the claim
    /// as committed) is <see cref="GameIdOf"/>; the n-th re-post's is <c>keccak256(abi.encode(batchIndex, kind, market,
    /// challenger, n))</c>.
    /// </summary>
    public static Hash256 GameIdAt(ulong batchIndex, DomainId domain, Address challenger, uint version)
    {
        var words = new byte[version == 0 ? 128 : 160];
        BinaryPrimitives.WriteUInt64BigEndian(words.AsSpan(24, 8), batchIndex);
        words[63] = domain.Kind;
        BinaryPrimitives.WriteUInt32BigEndian(words.AsSpan(92, 4), domain.Market);
        challenger.CopyTo(words.AsSpan(108, 20));
        if (version > 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(words.AsSpan(156, 4), version);
        }
        return Keccak256.Compute(words);
    }

    // ---- moves ----

    /// <summary>Disputes <paramref name="claim"/> of <paramref name="domain"/> in batch <paramref name="batchIndex"/> with the challenger's own end, sending the challenger's bond.</summary>
    public async Task<(Hash256 GameId, L1Receipt Receipt)> ChallengeAsync(
        ulong batchIndex, DomainId domain, DomainClaim claim, IReadOnlyList<Hash256> claimSiblings, Hash256 challengerEnd, BigInteger? bond = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(claimSiblings);
        var value = bond ?? await ReadUInt256Async("challengerBond", cancellation).ConfigureAwait(false);
        var siblings = claimSiblings.Select(s => s.ToArray()).ToList();
        var call = Artifact.EncodeCall("challenge", batchIndex, domain.Kind, domain.Market, claim.Start.ToArray(), claim.End.ToArray(), claim.Steps, siblings, challengerEnd.ToArray());
        var receipt = await SendAsync("challenge", call, value, cancellation).ConfigureAwait(false);
        return (GameIdAt(batchIndex, domain, From, await GetClaimVersionAsync(batchIndex, domain, cancellation).ConfigureAwait(false)), receipt);
    }

    /// <summary>
    /// Fells a claim cut short (docs/disputes.md, "A claim cut short"): <paramref name="proof"/> proves a step from the
    /// claim's end, which the domain's trace has if the claim stops before its true end. No game and no bond.
    /// </summary>
    public Task<L1Receipt> ProveNotEndedAsync(DisputedClaim claim, byte[] proof, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(proof);
        var siblings = claim.Siblings.Select(s => s.ToArray()).ToList();
        var call = Artifact.EncodeCall(
            "proveNotEnded", claim.BatchIndex, claim.Domain.Kind, claim.Domain.Market, claim.Posted.Start.ToArray(), claim.Posted.End.ToArray(),
            claim.Posted.Steps, siblings, proof);
        return SendAsync("proveNotEnded", call, BigInteger.Zero, cancellation);
    }

    /// <summary>
    /// Fells a claim whose start is not where the domain's claim in the batch before ends (docs/disputes.md, "A claim's
    /// start"), shown by <paramref name="previous"/> (<see cref="PreviousClaim.None"/> for batch 0, whose start L1
    /// rebuilds from the empty genesis). No game and no bond.
    /// </summary>
    public Task<L1Receipt> ProveStartBrokenAsync(DisputedClaim claim, PreviousClaim previous, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(previous);
        var words = new List<byte[]>(previous.EndWords.Length / 32);
        for (var i = 0; i < previous.EndWords.Length; i += 32)
        {
            words.Add(previous.EndWords.AsSpan(i, 32).ToArray());
        }
        object[] before =
        [
            previous.Start.ToArray(), previous.Steps, words, previous.Siblings.Select(s => s.ToArray()).ToList(),
            Absence(previous.Registry ?? new MerkleProof([], Hash256.Zero, Hash256.Zero)),
        ];
        var call = Artifact.EncodeCall(
            "proveStartBroken", claim.BatchIndex, claim.Domain.Kind, claim.Domain.Market, claim.Posted.Start.ToArray(), claim.Posted.End.ToArray(),
            claim.Posted.Steps, claim.Siblings.Select(s => s.ToArray()).ToList(), before);
        return SendAsync("proveStartBroken", call, BigInteger.Zero, cancellation);
    }

    /// <summary>
    /// Fells the claim of a market registered at the batch's end that the batch does not make (docs/disputes.md, "A
    /// missing claim"), shown by <paramref name="proof"/>. No game and no bond.
    /// </summary>
    public Task<L1Receipt> ProveClaimMissingAsync(ulong batchIndex, uint market, MissingClaimProof proof, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var call = Artifact.EncodeCall(
            "proveClaimMissing", batchIndex, market, proof.Accounts.ToAbi(), proof.RegistrySiblings.Select(s => s.ToArray()).ToList(), Absence(proof.Absence));
        return SendAsync("proveClaimMissing", call, BigInteger.Zero, cancellation);
    }

    /// <summary>IDisputeGame.Absence (siblings, endingKey, endingValueHash) of a path that ends off its key.</summary>
    private static object[] Absence(MerkleProof path) => [path.Siblings.Select(s => s.ToArray()).ToList(), path.LeafKey.ToArray(), path.LeafValueHash.ToArray()];

    /// <summary>The defender's state hash after step <c>lo + (hi − lo) / 2</c>; the first bisection carries the defender's bond (null: the bond this move owes).</summary>
    public async Task<L1Receipt> BisectAsync(Hash256 gameId, Hash256 mid, BigInteger? value = null, CancellationToken cancellation = default)
    {
        if (value is null)
        {
            var game = await GetGameAsync(gameId, cancellation).ConfigureAwait(false);
            value = game.DefenderBonded ? BigInteger.Zero : await ReadUInt256Async("defenderBond", cancellation).ConfigureAwait(false);
        }
        return await SendAsync("bisect", Artifact.EncodeCall("bisect", gameId.ToArray(), mid.ToArray()), value.Value, cancellation).ConfigureAwait(false);
    }

    /// <summary>The challenger's answer: agree with the defender's midpoint, or post its own state hash there.</summary>
    public Task<L1Receipt> AnswerAsync(Hash256 gameId, bool agree, Hash256 mid, CancellationToken cancellation = default) =>
        SendAsync("answer", Artifact.EncodeCall("answer", gameId.ToArray(), agree, mid.ToArray()), BigInteger.Zero, cancellation);

    /// <summary>The one step left, proven with the domain prover's proof bytes.</summary>
    public Task<L1Receipt> ProveAsync(Hash256 gameId, byte[] proof, CancellationToken cancellation = default) =>
        SendAsync("prove", Artifact.EncodeCall("prove", gameId.ToArray(), proof), BigInteger.Zero, cancellation);

    /// <summary>
    /// The one step left of an accounts game, proven from the C# trace's step (its state before and its witness) and,
    /// for a Reply step, the claim of the market whose outbox it reads.
    /// </summary>
    public Task<L1Receipt> ProveAccountsStepAsync(Hash256 gameId, AccountsStep step, IReadOnlyList<MarketOutboxClaim>? outboxes = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        return ProveAsync(gameId, AccountsOneStepProof.Encode(step.Pre, step.Witness, outboxes), cancellation);
    }

    /// <summary>The one step left of a market game, proven from the C# market trace's step and the batch's accounts claim (whose outbox the step reads).</summary>
    public Task<L1Receipt> ProveMarketStepAsync(Hash256 gameId, MarketStep step, AccountsOutboxClaim accounts, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        return ProveAsync(gameId, MarketOneStepProof.Encode(step.Pre, step.Witness, accounts), cancellation);
    }

    /// <summary>
    /// The defender's clock stopped at one step left, <paramref name="proof"/> showing that the step reads another
    /// domain's claim of the batch that is not Final yet (<c>awaitInput</c>, docs/disputes.md "One-step provers").
    /// </summary>
    public Task<L1Receipt> AwaitInputAsync(Hash256 gameId, byte[] proof, CancellationToken cancellation = default) =>
        SendAsync("awaitInput", Artifact.EncodeCall("awaitInput", gameId.ToArray(), proof), BigInteger.Zero, cancellation);

    /// <summary>The defender's stopped clock running again, its awaited claim now Final (<c>resumeClock</c>, anyone).</summary>
    public Task<L1Receipt> ResumeClockAsync(Hash256 gameId, CancellationToken cancellation = default) =>
        SendAsync("resumeClock", Artifact.EncodeCall("resumeClock", gameId.ToArray()), BigInteger.Zero, cancellation);

    public Task<L1Receipt> TimeoutAsync(Hash256 gameId, CancellationToken cancellation = default) =>
        SendAsync("timeout", Artifact.EncodeCall("timeout", gameId.ToArray()), BigInteger.Zero, cancellation);

    public Task<L1Receipt> AbandonAsync(Hash256 gameId, CancellationToken cancellation = default) =>
        SendAsync("abandon", Artifact.EncodeCall("abandon", gameId.ToArray()), BigInteger.Zero, cancellation);

    /// <summary>Pays this client's account its whole credit.</summary>
    public Task<L1Receipt> WithdrawAsync(CancellationToken cancellation = default) =>
        SendAsync("withdraw", Artifact.EncodeCall("withdraw"), BigInteger.Zero, cancellation);

    // ---- views ----

    public async Task<DisputeGameState> GetGameAsync(Hash256 gameId, CancellationToken cancellation = default)
    {
        var fields = (List<ParameterOutput>)(await CallAsync("game", cancellation, gameId.ToArray()).ConfigureAwait(false))[0].Result;
        object F(int i) => fields[i].Result;
        ulong U(int i) => (ulong)(BigInteger)F(i);
        Hash256 H(int i) => new((byte[])F(i));
        return new DisputeGameState(
            Address.Parse((string)F(0)), U(1), (byte)U(2), (DisputeGameStatus)U(3), (bool)F(4), (DisputeSide)U(5),
            Address.Parse((string)F(6)), (uint)U(7), U(8), U(9), U(10), U(11), U(12), H(13), H(14), H(15), H(16));
    }

    /// <summary>Each side's blocks left as of the latest block (the running clock charged).</summary>
    public async Task<(ulong DefenderLeft, ulong ChallengerLeft)> GetClocksAsync(Hash256 gameId, CancellationToken cancellation = default)
    {
        var outputs = await CallAsync("clocks", cancellation, gameId.ToArray()).ConfigureAwait(false);
        return ((ulong)(BigInteger)outputs[0].Result, (ulong)(BigInteger)outputs[1].Result);
    }

    /// <summary>What the step <paramref name="proof"/> proves reads (<c>stepInput</c>): another domain's claim of the batch, and its status now.</summary>
    public async Task<StepInput> GetStepInputAsync(Hash256 gameId, byte[] proof, CancellationToken cancellation = default)
    {
        var outputs = await CallAsync("stepInput", cancellation, gameId.ToArray(), proof).ConfigureAwait(false);
        return new StepInput(
            (bool)outputs[0].Result,
            new DomainId((byte)(BigInteger)outputs[1].Result, (uint)(BigInteger)outputs[2].Result),
            (ClaimStatus)(byte)(BigInteger)outputs[3].Result);
    }

    /// <summary>The claim the defender's clock is stopped for, if it is (<c>awaitedInput</c>).</summary>
    public async Task<DomainId?> GetAwaitedInputAsync(Hash256 gameId, CancellationToken cancellation = default)
    {
        var outputs = await CallAsync("awaitedInput", cancellation, gameId.ToArray()).ConfigureAwait(false);
        return (bool)outputs[0].Result ? new DomainId((byte)(BigInteger)outputs[1].Result, (uint)(BigInteger)outputs[2].Result) : null;
    }

    /// <summary>A claim's status on the game's settlement contract (<c>claimStatus</c>).</summary>
    public async Task<ClaimStatus> GetClaimStatusAsync(ulong batchIndex, DomainId domain, CancellationToken cancellation = default)
    {
        var outputs = await SettlementCalls(await GetSettlementAsync(cancellation).ConfigureAwait(false))
            .CallAsync("claimStatus", cancellation, batchIndex, domain.Kind, domain.Market).ConfigureAwait(false);
        return (ClaimStatus)(byte)(BigInteger)outputs[0].Result;
    }

    public async Task<BigInteger> GetCreditAsync(Address account, CancellationToken cancellation = default) =>
        (BigInteger)(await CallAsync("credit", cancellation, account.ToString()).ConfigureAwait(false))[0].Result;

    public async Task<bool> IsClaimFallenAsync(ulong batchIndex, DomainId domain, CancellationToken cancellation = default) =>
        (bool)(await CallAsync("claimFallen", cancellation, batchIndex, domain.Kind, domain.Market).ConfigureAwait(false))[0].Result;

    /// <summary>The constructor's bonds, clock and burn as the deployed game holds them.</summary>
    public async Task<DisputeGameConfig> GetConfigAsync(CancellationToken cancellation = default) => new(
        await ReadUInt256Async("challengerBond", cancellation).ConfigureAwait(false),
        await ReadUInt256Async("defenderBond", cancellation).ConfigureAwait(false),
        (ulong)await ReadUInt256Async("clockBlocks", cancellation).ConfigureAwait(false),
        (uint)await ReadUInt256Async("burnPpm", cancellation).ConfigureAwait(false));

    /// <summary>Every game started in L1 blocks <paramref name="fromBlock"/>..<paramref name="toBlock"/>, in the order they started.</summary>
    public async Task<IReadOnlyList<StartedGame>> GetGamesStartedAsync(ulong fromBlock, ulong toBlock, CancellationToken cancellation = default)
    {
        var filter = Artifact.Event("GameStarted").CreateFilterInput(Address.ToString(), new BlockParameter(fromBlock), new BlockParameter(toBlock));
        var logs = await _l1.GetLogsAsync(filter, cancellation).ConfigureAwait(false);
        var games = new List<StartedGame>(logs.Length);
        foreach (var log in logs.OrderBy(l => (ulong)l.BlockNumber.Value).ThenBy(l => (ulong)l.LogIndex.Value))
        {
            var e = log.DecodeEvent<GameStartedEvent>().Event;
            games.Add(new StartedGame(
                new Hash256(e.GameId), e.BatchIndex, new DomainId(e.Kind, e.Market), Address.Parse(e.Challenger),
                new Hash256(e.End), new Hash256(e.ChallengerEnd), (ulong)log.BlockNumber.Value));
        }
        return games;
    }

    /// <summary>The claims felled at once (no game) in L1 blocks <paramref name="fromBlock"/>..<paramref name="toBlock"/>, in L1 order.</summary>
    public async Task<IReadOnlyList<FelledClaim>> GetClaimsFelledAtOnceAsync(ulong fromBlock, ulong toBlock, CancellationToken cancellation = default)
    {
        var filter = Artifact.Event("ClaimFell").CreateFilterInput(Address.ToString(), new BlockParameter(fromBlock), new BlockParameter(toBlock));
        var logs = await _l1.GetLogsAsync(filter, cancellation).ConfigureAwait(false);
        var felled = new List<FelledClaim>();
        foreach (var log in logs.OrderBy(l => (ulong)l.BlockNumber.Value).ThenBy(l => (ulong)l.LogIndex.Value))
        {
            var e = log.DecodeEvent<ClaimFellEvent>().Event;
            if (new Hash256(e.GameId) == Hash256.Zero)
            {
                felled.Add(new FelledClaim(e.BatchIndex, new DomainId(e.Kind, e.Market), (ulong)log.BlockNumber.Value, Hash256.Parse(log.TransactionHash)));
            }
        }
        return felled;
    }

    /// <summary>The contract's own <c>gameIdAt</c> (what <see cref="GameIdAt"/> computes without L1).</summary>
    public async Task<Hash256> GetGameIdAtAsync(ulong batchIndex, DomainId domain, Address challenger, uint version, CancellationToken cancellation = default) =>
        new((byte[])(await CallAsync("gameIdAt", cancellation, batchIndex, domain.Kind, domain.Market, challenger.ToString(), version).ConfigureAwait(false))[0].Result);

    /// <summary>
    /// The version of the claim a challenge of it now disputes: 0 as committed, n after its n-th re-post (the settlement
    /// contract's <c>claimState</c>); 0 when the game is not the settlement's (no re-posts there).
    /// </summary>
    public async Task<uint> GetClaimVersionAsync(ulong batchIndex, DomainId domain, CancellationToken cancellation = default)
    {
        var state = await SettlementCalls(await GetSettlementAsync(cancellation).ConfigureAwait(false))
            .CallAsync("claimState", cancellation, batchIndex, domain.Kind, domain.Market).ConfigureAwait(false);
        return (uint)(BigInteger)state[1].Result;
    }

    private async Task<Address> GetSettlementAsync(CancellationToken cancellation) =>
        Address.Parse((string)(await CallAsync("settlement", cancellation).ConfigureAwait(false))[0].Result);

    private ContractCalls SettlementCalls(Address settlement) =>
        new(_l1, null, ContractArtifact.Settlement, settlement, ContractArtifact.Settlement.Errors, "settlement", static (function, reason, inner) => new DisputeGameRevertedException(function, reason, inner));

    public async Task<Address> GetProverAsync(DomainId domain, CancellationToken cancellation = default) =>
        Address.Parse((string)(await CallAsync("proverOf", cancellation, domain.Kind).ConfigureAwait(false))[0].Result);

    // ---- plumbing ----

    private TransactionSender Sender => _calls.Sender;

    private async Task<BigInteger> ReadUInt256Async(string function, CancellationToken cancellation) =>
        (BigInteger)(await CallAsync(function, cancellation).ConfigureAwait(false))[0].Result;

    private Task<List<ParameterOutput>> CallAsync(string function, CancellationToken cancellation, params object[] arguments) =>
        _calls.CallAsync(function, cancellation, arguments);

    /// <summary>Estimates first (a refusal throws with its error decoded), then sends with a fifth more gas and waits for the receipt.</summary>
    private Task<L1Receipt> SendAsync(string function, byte[] calldata, BigInteger value, CancellationToken cancellation) =>
        _calls.SendAsync(function, calldata, value, cancellation);
}
