using Microsoft.Extensions.Hosting;

namespace WildLong.Engine.Hosting;

/// <summary>
/// The lifetime of the sidecar's inner web server: it ignores console signals, so Ctrl+C stops the application's host
/// (worker first) and only then the sidecar, instead of both racing.
/// </summary>
internal sealed class InnerServerLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
