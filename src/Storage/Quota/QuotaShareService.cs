using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Llm;
using WildLong.Llm.Quota;

namespace WildLong.Storage.Quota;

/// <summary>
/// Runs this process's <see cref="QuotaShareCoordinator"/> for the lifetime of the host: the first heartbeat before the
/// host starts its work (so a worker never starts at the whole quota when others are already running), then one
/// every <see cref="ModelOptions.QuotaShareInterval"/>; leaves the pool when the host stops.
/// </summary>
internal sealed class QuotaShareService : IHostedService, IAsyncDisposable
{
    private readonly QuotaShareCoordinator coordinator;
    private readonly bool enabled;
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;

    public QuotaShareService(ChatClientFactory factory, IQuotaShareStore store, IOptions<ModelOptions> options, TimeProvider time, ILogger<QuotaShareService> logger)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        enabled = options.Value.ShareQuota;
        coordinator = new QuotaShareCoordinator(factory.Limiter, store, QuotaShareCoordinator.PoolFor(options.Value), options.Value.QuotaShareInterval, time, logger);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!enabled)
        {
            return;
        }

        await coordinator.HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        loop = Task.Run(() => coordinator.RunAsync(stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            // RunAsync leaves the pool once stopped; if the host gives up waiting first, the heartbeat just expires.
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
