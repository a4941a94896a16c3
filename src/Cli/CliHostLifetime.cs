using Microsoft.Extensions.Hosting;

namespace WildLong.Cli;

/// <summary>
/// The CLI host's lifetime: it leaves Ctrl+C, SIGINT and SIGTERM to the command line, which cancels the running
/// command (exit code 130). The default <c>ConsoleLifetime</c> would take those signals for itself and only stop the
/// host's background services, so a run went on as if nothing had happened and a worker ignored them.
/// </summary>
internal sealed class CliHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
