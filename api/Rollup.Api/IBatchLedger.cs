using P = Rollup.Proto.V1;

namespace Rollup.Api;

/// <summary>
/// Where the node's batches stand on L1, for <c>Query/ListBatches</c>. The node wires it to its L1 bridge; a node
/// without L1 has none, and the query answers an empty list with <c>l1</c> false.
/// </summary>
public interface IBatchLedger
{
    /// <summary>The latest <paramref name="limit"/> batches, newest first, with their status and the L1 head read at.</summary>
    Task<P.Batches> ListAsync(int limit, CancellationToken cancellation);
}
