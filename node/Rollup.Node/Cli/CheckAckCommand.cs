using System.CommandLine;
using Rollup.Bridge.Acks;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Node.Cli;

/// <summary>
/// <c>rollup check-ack</c>: holds an ack against L1 (docs/acks.md, "Checking an ack against L1") and prints the verdict;
/// with <c>--slash</c>, submits the slashing proof of a violation to the ack slashing contract.
/// </summary>
internal static class CheckAckCommand
{
    public static Command Create()
    {
        var l1Rpc = new Option<string>("--l1-rpc") { Description = "L1 JSON-RPC URL", DefaultValueFactory = _ => "http://127.0.0.1:8545" };
        var contract = new Option<string>("--contract") { Description = "the settlement contract's address", Required = true };
        var chainId = new Option<ulong>("--l2-chain-id") { Description = "the L2 chain id of the signing domain", DefaultValueFactory = _ => 31337 };
        var fromBlock = new Option<ulong>("--from-block") { Description = "the L1 block to read the settlement's events from (its deployment)", DefaultValueFactory = _ => 0 };
        var sequence = new Option<ulong>("--sequence") { Description = "the ack's sequence", Required = true };
        var txHash = new Option<string>("--tx-hash") { Description = "the ack's tx_hash, 0x + 64 hex digits", Required = true };
        var root = new Option<string>("--root") { Description = "the ack's root", Required = true };
        var proof = new Option<string>("--proof") { Description = "the ack's proof, hex (32 bytes a sibling; 0x when the tree had one leaf)", DefaultValueFactory = _ => "0x" };
        var signature = new Option<string>("--signature") { Description = "the ack's signature, 65 bytes hex", Required = true };
        var slashing = new Option<string?>("--slash") { Description = "the ack slashing contract: submit the proof of a violation there (needs --key)" };
        var key = new Option<string?>("--key") { Description = "hex private key that sends the slash and is paid it" };
        var command = new Command("check-ack", "Check an ack against the batches on L1; exit 0 kept, 1 violated, 3 undecided yet, 5 an invalid ack.")
        {
            l1Rpc, contract, chainId, fromBlock, sequence, txHash, root, proof, signature, slashing, key,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            if (!Uri.TryCreate(parse.GetValue(l1Rpc), UriKind.Absolute, out var rpcUri) || !Address.TryParse(parse.GetValue(contract), out var settlementAddress)
                || !Hash256.TryParse(parse.GetValue(txHash), out var hash) || !Hash256.TryParse(parse.GetValue(root), out var rootHash)
                || !Hex.TryParse(parse.GetValue(proof), out var proofBytes) || !Hex.TryParse(parse.GetValue(signature), out var signatureBytes))
            {
                await Console.Error.WriteLineAsync("rollup check-ack: --l1-rpc must be a URL, --contract an address, --tx-hash and --root 32-byte hex, --proof and --signature hex");
                return RollupCli.UsageExitCode;
            }
            var slashText = parse.GetValue(slashing);
            Address slashingAddress = default;
            PrivateKey? sender = null;
            if (slashText is not null && (!Address.TryParse(slashText, out slashingAddress) || !TryKey(parse.GetValue(key), out sender)))
            {
                await Console.Error.WriteLineAsync("rollup check-ack: --slash needs the ack slashing contract's address and --key a secp256k1 private key");
                return RollupCli.UsageExitCode;
            }
            var ack = new SignedAck(parse.GetValue(sequence), hash, rootHash, proofBytes, signatureBytes);
            try
            {
                using var rpc = new L1Client(rpcUri);
                var settlement = new SettlementClient(rpc, settlementAddress) { FromBlock = parse.GetValue(fromBlock) };
                var checker = new AckChecker(settlement, RollupDomain.Create(parse.GetValue(chainId), settlementAddress));
                var verdict = await checker.CheckAsync(ack, cancellation);
                Console.WriteLine($"{verdict.Kind}: {verdict.Detail}");
                if (sender is not null && verdict.Slashable)
                {
                    var l1ChainId = await rpc.GetChainIdAsync(cancellation);
                    var client = new AckSlashingClient(rpc, slashingAddress, new TransactionSender(rpc, sender, l1ChainId));
                    var receipt = await client.SlashAsync(ack, verdict, cancellation: cancellation);
                    Console.WriteLine($"slashed in L1 transaction {receipt.TransactionHash} ({receipt.GasUsed} gas); withdraw the payout from {slashingAddress}");
                }
                else if (sender is not null)
                {
                    Console.WriteLine("nothing to slash");
                }
                return verdict.ExitCode;
            }
            catch (AckSlashingRevertedException error)
            {
                await Console.Error.WriteLineAsync($"rollup check-ack: L1 refused the slash: {error.Message}");
                return 4;
            }
            catch (Exception error) when (error is L1Exception or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"rollup check-ack: {error.Message}");
                return 4;
            }
        });
        return command;
    }

    private static bool TryKey(string? text, out PrivateKey? key)
    {
        key = null;
        if (text is null)
        {
            return false;
        }
        try
        {
            key = PrivateKey.Parse(text);
            return true;
        }
        catch (Exception error) when (error is FormatException or SignatureException)
        {
            return false;
        }
    }
}
