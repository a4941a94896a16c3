using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WildLong.Engine.Tests.Toys;
using Xunit.Abstractions;

namespace WildLong.Engine.Tests.Support;

/// <summary>
/// A plain .NET host running the engine with the toy tasks, built the way an application would
/// (<c>AddWildLongEngine</c> from configuration), with its own <see cref="ActivityLog"/> and <see cref="ActivityGate"/>.
/// </summary>
public sealed class TestEngineHost : IAsyncDisposable
{
    private readonly IHost host;
    private bool stopped;

    private TestEngineHost(IHost host, ActivityLog log)
    {
        this.host = host;
        Log = log;
    }

    public ActivityLog Log { get; }

    public IServiceProvider Services => host.Services;

    public DurableTaskClient Client => host.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<TestEngineHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        ITestOutputHelper output,
        string name,
        ActivityGate? gate = null,
        bool runWorker = true,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output, name));
        var log = new ActivityLog(name);
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(gate ?? ActivityGate.AlwaysOpen);
        builder.Services.AddWildLongEngine(builder.Configuration, ToyTasks.Register, runWorker);
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TestEngineHost(host, log);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!stopped)
        {
            stopped = true;
            await host.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
