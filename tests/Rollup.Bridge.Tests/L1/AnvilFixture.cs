using Rollup.Bridge.L1;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

/// <summary>One anvil per test class (an <see cref="IClassFixture{T}"/>), with a client and its dev methods; killed when the class is done.</summary>
public sealed class AnvilFixture : IAsyncLifetime, IDisposable
{
    private AnvilProcess? _anvil;
    private L1Client? _client;

    public AnvilProcess Anvil => _anvil ?? throw new InvalidOperationException("anvil is not started");

    public L1Client Client => _client ?? throw new InvalidOperationException("anvil is not started");

    public AnvilRpc Dev => new(Client);

    public async Task InitializeAsync()
    {
        _anvil = await AnvilProcess.StartAsync();
        _client = new L1Client(_anvil.Endpoint, TimeSpan.FromSeconds(10));
    }

    /// <summary>A sender for one of anvil's dev accounts; each test class gives each test its own account, so nonces never collide.</summary>
    public TransactionSender Sender(int devAccount, TransactionSenderOptions? options = null) =>
        new(Client, AnvilProcess.DevKey(devAccount), Anvil.ChainId, options ?? new TransactionSenderOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(20), ReceiptTimeout = TimeSpan.FromSeconds(20) });

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _client?.Dispose();
        _client = null;
        _anvil?.Dispose();
        _anvil = null;
    }
}
