using P = Rollup.Proto.V1;

namespace Rollup.Api;

/// <summary>
/// The dispute games on L1, for <c>Query/ListDisputeGames</c>. The node wires it to its game watch; a node without a
/// dispute game has none, and the query answers an empty list with <c>watching</c> false.
/// </summary>
public interface IDisputeGameLedger
{
    /// <summary>Every game the watch has seen, oldest first (only the open ones with <paramref name="openOnly"/>).</summary>
    P.DisputeGames List(bool openOnly);
}
