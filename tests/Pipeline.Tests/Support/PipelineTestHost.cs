using System.Globalization;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WildLong.Core.DependencyInjection;
using WildLong.Engine;
using WildLong.Llm;
using WildLong.Llm.Caching;
using WildLong.Pipeline.DependencyInjection;
using WildLong.Pipeline.Runs;
using WildLong.Simulator;
using WildLong.Storage;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// The durable pipeline in a test: a generic host composed the way the CLI's engine mode composes it (method, model
/// client pipeline, storage, pipeline, embedded engine with every pipeline task) against the fixture's Azurite and a
/// simulator, with container, table and task hub names unique to the test. The response cache is off, so every model
/// call the pipeline makes reaches the simulator and shows in its counters.
/// </summary>
public sealed class PipelineTestHost : IAsyncDisposable
{
    private readonly IHost host;
    private bool stopped;

    private PipelineTestHost(IHost host, TestStorageNames names)
    {
        this.host = host;
        Names = names;
    }

    public IServiceProvider Services => host.Services;

    public TestStorageNames Names { get; }

    public DurableTaskClient Client => host.Services.GetRequiredService<DurableTaskClient>();

    public BlobServiceClient Blobs => host.Services.GetRequiredService<BlobServiceClient>();

    /// <summary>The shape a client of this host starts runs with.</summary>
    public RunShape Shape => RunShape.FromServices(host.Services);

    public static async Task<PipelineTestHost> StartAsync(
        string backend,
        AzuriteFixture azurite,
        SimulatorServer simulator,
        TestStorageNames names,
        ITestOutputHelper output,
        IReadOnlyDictionary<string, string?>? overrides = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(names);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["WildLong:Model:Provider"] = ModelProviders.Simulator,
            ["WildLong:Model:Deployment"] = PipelineTestData.Deployment,
            ["WildLong:Model:Endpoint"] = simulator.BaseAddress.ToString(),
            ["WildLong:Model:ApiKey"] = simulator.ApiKey,
            ["WildLong:Model:Tpm"] = PipelineTestData.SimulatorTpm.ToString(CultureInfo.InvariantCulture),
            ["WildLong:Model:Rpm"] = PipelineTestData.SimulatorRpm.ToString(CultureInfo.InvariantCulture),
            ["WildLong:Llm:ModelId"] = PipelineTestData.Deployment,
            ["WildLong:Llm:Cache:Enabled"] = "false",
            ["WildLong:Run:QueryBatchSize"] = "25",
            // Two generation rounds exercise the multi-round path; more only repeat it (and cost a minute on 2 cores).
            ["WildLong:Run:MaxRounds"] = "2",
            ["WildLong:Pipeline:ShardCacheDirectory"] = names.ShardCacheDirectory,
            ["WildLong:Engine:Backend"] = backend,
            ["WildLong:Engine:TaskHubName"] = names.TaskHub,
            ["WildLong:Engine:MaxQueuePollingInterval"] = "00:00:01",
            ["WildLong:Storage:ConnectionString"] = azurite.ConnectionString,
        };
        foreach (var (key, value) in names.Configuration())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services
            .AddLogging(logging => logging.AddProvider(new TestOutputLoggerProvider(output, backend)).AddFilter("Azure", LogLevel.Error))
            .AddWildLongMethod(configuration)
            .AddWildLongResponseCache(configuration)
            .AddWildLongModel(configuration)
            .AddWildLongStorage(configuration)
            .AddWildLongPipeline(configuration)
            .AddWildLongEngine(configuration, PipelineTasks.Register);
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

        return new PipelineTestHost(host, names);
    }

    public async Task StopAsync()
    {
        if (!stopped)
        {
            stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        host.Dispose();
    }
}
