using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Grpc.Core;
using Grpc.Net.Client;
using Rollup.Node.Bridge;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Node.Cli;

/// <summary><c>rollup withdraw</c>: claims an L2 withdrawal on L1 with its Merkle proof.</summary>
internal static class WithdrawCommand
{
    public static Command Create()
    {
        var l1Rpc = new Option<string>("--l1-rpc") { Description = "L1 JSON-RPC URL", DefaultValueFactory = _ => "http://127.0.0.1:8545" };
        var contract = new Option<string>("--contract") { Description = "the settlement contract's address", Required = true };
        var nodeAddress = new Option<string>("--node") { Description = "a node's gRPC address for the proof (sequencer or validator)", DefaultValueFactory = _ => "127.0.0.1:50051" };
        var key = new Option<string>("--key") { Description = "hex private key that pays the L1 gas (anyone may claim; the tokens go to the withdrawing account)", Required = true };
        var txHash = new Option<string?>("--tx-hash") { Description = "the Withdraw transaction's hash (its ack's tx_hash), instead of --block and --tx" };
        var block = new Option<ulong?>("--block") { Description = "the L2 block of the Withdraw transaction (with --tx)" };
        var tx = new Option<uint?>("--tx") { Description = "its index in the block (from its receipt)" };
        var wait = new Option<bool>("--wait") { Description = "wait for the batch to be final instead of exiting" };
        var retrySeconds = new Option<double>("--l1-retry-seconds") { Description = "how long each L1 step is tried again through L1 faults (no answer, 5xx, garbled answers) before exit code 7", DefaultValueFactory = _ => 60 };
        var command = new Command("withdraw", "Claim an L2 withdrawal on L1 once its batch is final.") { l1Rpc, contract, nodeAddress, key, txHash, block, tx, wait, retrySeconds };
        command.SetAction(async (parse, cancellation) =>
        {
            if (!Uri.TryCreate(parse.GetValue(l1Rpc), UriKind.Absolute, out var rpcUri) || !Address.TryParse(parse.GetValue(contract), out var settlementAddress))
            {
                await Console.Error.WriteLineAsync("rollup withdraw: --l1-rpc must be a URL and --contract an address");
                return 2;
            }
            var hashText = parse.GetValue(txHash);
            Hash256 hash = default;
            if (hashText is not null ? parse.GetValue(block) is not null || parse.GetValue(tx) is not null || !Hash256.TryParse(hashText, out hash) : parse.GetValue(block) is null || parse.GetValue(tx) is null)
            {
                await Console.Error.WriteLineAsync("rollup withdraw: name the withdrawal by --tx-hash 0x<64 hex digits>, or by --block N and --tx I (not both)");
                return 2;
            }
            PrivateKey payer;
            try
            {
                payer = PrivateKey.Parse(parse.GetValue(key)!);
            }
            catch (Exception error) when (error is FormatException or SignatureException)
            {
                await Console.Error.WriteLineAsync("rollup withdraw: --key is not a secp256k1 private key (32 bytes hex)");
                return 2;
            }
            var seconds = parse.GetValue(retrySeconds);
            if (seconds is not (>= 0 and <= 86_400))
            {
                await Console.Error.WriteLineAsync("rollup withdraw: --l1-retry-seconds must be between 0 and 86400");
                return 2;
            }
            var retry = new L1RetryBudget(TimeSpan.FromSeconds(seconds), Console.Out);
            try
            {
                using var rpc = new L1Client(rpcUri);
                var chainId = await retry.RunAsync("reading the chain id", ct => rpc.GetChainIdAsync(ct), cancellation);
                var transactor = new ContractTransactor(rpc, new TransactionSender(rpc, payer, chainId), ContractArtifact.Settlement, NullLogger.Instance);
                var settlement = new SettlementClient(rpc, settlementAddress, transactor);
                using var node = GrpcChannel.ForAddress($"http://{parse.GetValue(nodeAddress)}");
                var claimer = new WithdrawalClaimer(settlement, node, Console.Out, retry);
                var outcome = hashText is not null
                    ? await claimer.ClaimAsync(hash, parse.GetValue(wait), cancellation)
                    : await claimer.ClaimAsync(parse.GetValue(block)!.Value, parse.GetValue(tx)!.Value, parse.GetValue(wait), cancellation);
                await (outcome.Claimed ? Console.Out : Console.Error).WriteLineAsync($"rollup withdraw: {outcome.Message}");
                return ExitCode(outcome.Result);
            }
            catch (L1RetryBudgetExhaustedException error)
            {
                await Console.Error.WriteLineAsync($"rollup withdraw: gave up: {error.Message}; run again once L1 answers (a claim that landed is found, not sent twice)");
                return 7;
            }
            catch (RpcException error)
            {
                await Console.Error.WriteLineAsync($"rollup withdraw: the node at {parse.GetValue(nodeAddress)} answered {error.StatusCode}: {error.Status.Detail}");
                return 4;
            }
            catch (L1RevertedException error)
            {
                // The contract's custom error by name (the artifact knows them), not the raw revert data.
                await Console.Error.WriteLineAsync($"rollup withdraw: L1 refused the claim: {error.Message}");
                return 4;
            }
            catch (Exception error) when (error is L1Exception or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"rollup withdraw: {error.Message}");
                return 4;
            }
        });
        return command;
    }

    /// <summary>0 claimed, 3 not claimable yet (retry later), 5 already claimed, 6 not a withdrawal; 2 bad arguments, 4 L1 or node errors, 7 L1 faults outlasted the retry budget.</summary>
    public static int ExitCode(ClaimResult result) => result switch
    {
        ClaimResult.Claimed => 0,
        ClaimResult.NotYet => 3,
        ClaimResult.AlreadyClaimed => 5,
        _ => 6,
    };
}
