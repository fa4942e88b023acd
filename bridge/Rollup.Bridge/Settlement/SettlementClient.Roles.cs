using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>The roles the contract holds now.</summary>
public sealed partial class SettlementClient
{
    /// <summary>The sequencer (<c>sequencer()</c>): the address whose acks the ack slashing contract enforces.</summary>
    public async Task<Address> GetSequencerAsync(CancellationToken cancellation) =>
        Address.Parse(await CallAsync<string>("sequencer", BlockParameter.CreateLatest(), cancellation).ConfigureAwait(false));
}
