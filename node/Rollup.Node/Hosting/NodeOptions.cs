namespace Rollup.Node.Hosting;

/// <summary>
/// The node's settings. Sources, later ones winning: built-in defaults, the JSON file given by
/// <c>--config</c>, environment variables <c>ROLLUP__NODE__DATADIR=...</c>, command-line flags.
/// Every setting and its default is listed in docs/configuration.md.
/// </summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Where the node keeps its state and transaction log. Default: <c>.rollup/node</c>.</summary>
    public string DataDir { get; set; } = Path.Combine(".rollup", "node");

    /// <summary>The L2 chain id, part of every signature's EIP-712 domain. Default: 31337 (the devnet).</summary>
    public ulong ChainId { get; set; } = 31337;

    /// <summary>The L1 settlement contract (the domain's verifying contract). Default: the zero address until a bridge is configured.</summary>
    public string SettlementContract { get; set; } = "0x0000000000000000000000000000000000000000";

    /// <summary>
    /// Hex private key that signs acknowledgements. Default: the devnet's well-known key (a warning is logged; refused on
    /// any chain but the devnet's, as are all of anvil's published keys).
    /// </summary>
    public string SequencerKey { get; set; } = DevKeys.Sequencer;

    /// <summary>
    /// Hex private key that sends the sequencer's L1 transactions (batch data and commitments): the settlement contract's
    /// sequencer. Default: empty, the <see cref="SequencerKey"/> (the devnet's case); a production node keeps the two apart.
    /// </summary>
    public string? L1Key { get; set; }

    /// <summary>Addresses allowed to create and administer markets. Default: the devnet operator.</summary>
    public List<string> Operators { get; set; } = [];

    /// <summary>gRPC listen address. Default: 127.0.0.1:50051.</summary>
    public string GrpcEndpoint { get; set; } = "127.0.0.1:50051";

    /// <summary>
    /// HTTP/JSON API listen address (HTTP/1.1 in cleartext; HTTP/1.1 and h2 with TLS); empty turns it off. Its own port:
    /// cleartext HTTP/1.1 and gRPC's h2c cannot share one (docs/http-api.md). Default: 127.0.0.1:8080.
    /// </summary>
    public string HttpEndpoint { get; set; } = "127.0.0.1:8080";

    /// <summary>A PKCS#12 (.pfx) certificate: when set, gRPC is served over TLS (h2 by ALPN) instead of cleartext. Default: none.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>The password of <see cref="TlsCertificatePath"/>, if it has one.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>Prometheus metrics listen address (plain HTTP/1.1, path /metrics); empty turns it off. Default: 127.0.0.1:9464.</summary>
    public string MetricsEndpoint { get; set; } = "127.0.0.1:9464";

    /// <summary>A block is cut this often while transactions wait. Default: 50 ms.</summary>
    public int BlockIntervalMs { get; set; } = 50;

    /// <summary>...or as soon as this many wait. Default: 10,000.</summary>
    public int MaxBlockTransactions { get; set; } = 10_000;

    /// <summary>...or before its order slots (one a transaction, one an item of a bulk) pass this many, 1 to 2^19. Default: 25,000.</summary>
    public int MaxBlockOrderSlots { get; set; } = Sequencer.SequencerOptions.DefaultMaxBlockOrderSlots;

    /// <summary>Most transactions of one account admitted but not yet executed. Default: 1,024.</summary>
    public int MaxPendingPerAccount { get; set; } = 1024;

    /// <summary>Most items in one Bulk the sequencer admits, 1 to 64 (the protocol's limit). Default: 64.</summary>
    public int MaxBulkItems { get; set; } = 64;

    /// <summary>Most acks under one sequencer signature (a Merkle tree; 1 signs each ack alone). Default: 128.</summary>
    public int AckTreeMaxLeaves { get; set; } = 128;

    /// <summary>
    /// Devnet and benchmarks only, before the L1 bridge: "address:amount" entries credited as the first
    /// deposits when the transaction log is empty. Refused when a settlement contract is set (then deposits
    /// come from L1 alone). Default: none.
    /// </summary>
    public List<string> DevDeposits { get; set; } = [];

    /// <summary>Threads that execute markets in parallel. Default: the number of cores.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Threads that serve the Query API's state reads, at the lowest priority (below block execution); 0 reads on the request's thread. Default: 2.</summary>
    public int ReadThreads { get; set; } = 2;

    /// <summary>State reads that may wait for a read thread; more are refused with RESOURCE_EXHAUSTED. Default: 4,096.</summary>
    public int ReadQueueLimit { get; set; } = 4096;

    /// <summary>
    /// RocksDB memtable size in MiB for the state and the tx log (its transactions column twice this): memory for
    /// write bursts, and what RocksDB reserves on disk ahead of each write-ahead log (1.1 times the largest).
    /// Default: 64; the devnet uses 4.
    /// </summary>
    public int WriteBufferMiB { get; set; } = (int)(Rollup.Storage.ColumnOptions.DefaultWriteBufferBytes >> 20);

    /// <summary>"sequencer" (orders, executes and posts) or "validator" (rebuilds from L1 and checks). Set by the command.</summary>
    public string Role { get; set; } = "sequencer";

    /// <summary>The L1 JSON-RPC endpoint. Empty: no L1 (a sequencer alone, with Node:DevDeposits). Required for a validator.</summary>
    public string? L1Rpc { get; set; }

    /// <summary>The L1 block the settlement contract was deployed in: where event searches start. Default: 0.</summary>
    public ulong L1FromBlock { get; set; }

    /// <summary>
    /// The L1 dispute game beside the settlement contract (docs/disputes.md). Set: a sequencer defends its claims in it,
    /// a validator with <see cref="ChallengerKey"/> challenges the claims it disagrees with, and both report its games on
    /// /metrics. Default: empty, no games.
    /// </summary>
    public string? DisputeGame { get; set; }

    /// <summary>A validator's hex private key that pays its challenge bonds and makes its moves. Default: empty (it names what it disagrees with and challenges nothing).</summary>
    public string? ChallengerKey { get; set; }

    /// <summary>L1 blocks on top of a deposit's before the sequencer credits it. Default: 2.</summary>
    public int DepositConfirmations { get; set; } = 2;

    /// <summary>
    /// L1 blocks on top of a commitment before the validator follows it: the validator cannot take back a batch it
    /// executed, so it waits until a reorg is unlikely. Default: 2 (the devnet, whose anvil never reorganises, uses 0).
    /// </summary>
    public int ValidatorConfirmations { get; set; } = 2;

    /// <summary>How often the sequencer posts the blocks executed since its last batch. Default: 2,000 ms.</summary>
    public int BatchIntervalMs { get; set; } = 2_000;

    /// <summary>Batch compression: none, lz4 or zstd. Default: zstd.</summary>
    public string BatchCodec { get; set; } = "zstd";

    /// <summary>Most L2 blocks in one batch. Default: 2,000.</summary>
    public int MaxBlocksPerBatch { get; set; } = 2_000;

    /// <summary>The L1 poll interval of the deposit watcher and the validator. Default: 1,000 ms.</summary>
    public int L1PollMs { get; set; } = 1_000;

    /// <summary>
    /// How often a sequencer drops from its transaction log the blocks whose batch is final on L1 (the state and the
    /// block store keep them; recovery needs only the log after the state's head). 0 keeps the whole log.
    /// Default: 60,000 ms (the devnet keeps it: 0).
    /// </summary>
    public int PruneLogIntervalMs { get; set; } = 60_000;
}
