using Microsoft.Extensions.Hosting;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>Stops a started host when a test ends (disposing alone would not stop the engine's hosted services in order).</summary>
public sealed class HostStopper(IHost host) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await host.StopAsync();
}
