using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.DurableTask.Worker.Grpc.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WildLong.Engine.Tests.Support;
using WildLong.Engine.Tests.Toys;
using Xunit.Abstractions;

namespace WildLong.Engine.Tests;

/// <summary>
/// The worker's work-item stream while every activity slot is busy: the sidecar's health pings keep the worker from
/// taking the quiet stream for a dead link (see <c>WorkItemStreamHeartbeat</c>).
/// </summary>
public sealed class WorkItemStreamTests(ITestOutputHelper output)
{
    private const string Reconnect = "stopped receiving traffic";

    [Fact]
    public async Task An_activity_that_outlasts_the_workers_silent_disconnect_timeout_does_not_make_it_reconnect()
    {
        var warnings = new ConcurrentQueue<string>();
        var gate = new ActivityGate { HoldFrom = 1 };
        var settings = new Dictionary<string, string?>
        {
            ["WildLong:Engine:Backend"] = EngineBackends.Memory,
            ["WildLong:Engine:TaskHubName"] = "stream" + Guid.NewGuid().ToString("N")[..8],
            ["WildLong:Engine:WorkItemStreamPingInterval"] = "00:00:00.2",
        };

        // The worker's 2-minute silent-disconnect timeout, shortened to 3 s: the held activity keeps the stream free of
        // work items for 7 s, more than twice that.
        await using var host = await TestEngineHost.StartAsync(settings, output, "stream", gate, configureServices: services =>
        {
            services.AddLogging(logging => logging.AddProvider(new WarningSink(warnings)));
            services.Configure<GrpcDurableTaskWorkerOptions>(worker => worker.SetSilentDisconnectTimeout(TimeSpan.FromSeconds(3)));
        });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 2);
        await Eventually.HoldsAsync(() => gate.Held == 1, "the first activity is held");
        await Task.Delay(TimeSpan.FromSeconds(7));
        gate.Open();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(3, done.ReadOutputAs<long>());
        Assert.DoesNotContain(warnings, w => w.Contains(Reconnect, StringComparison.Ordinal));
    }

    /// <summary>Collects the warnings every logger of the host writes.</summary>
    private sealed class WarningSink(ConcurrentQueue<string> warnings) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                warnings.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
