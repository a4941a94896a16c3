using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.DependencyInjection;
using WildLong.Engine;
using WildLong.Llm;
using WildLong.Llm.Caching;
using WildLong.Llm.Costs;
using WildLong.Pipeline;
using WildLong.Pipeline.DependencyInjection;
using WildLong.Simulator;
using WildLong.Storage;
using WildLong.Storage.Azurite;

namespace WildLong.Cli;

/// <summary>
/// The services one command runs with: the method and the model client pipeline; for the durable engine also storage
/// (an Azurite started in the workspace when none is configured) and the embedded engine; and — when the configured
/// model is the simulator and no endpoint is given — a simulator started in this process. Everything started here is
/// stopped with the host.
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    /// <summary>Quota of the auto-started simulator: generous, so the sample finishes in a minute or two.</summary>
    private const int SimulatorTpm = 5_000_000;
    private const int SimulatorRpm = 30_000;

    private readonly IHost host;
    private readonly SimulatorServer? simulator;
    private readonly AzuriteLauncher? azurite;
    private readonly ILoggerFactory startupLogging;

    private CliHost(IHost host, IConfiguration configuration, SimulatorServer? simulator, AzuriteLauncher? azurite, ILoggerFactory startupLogging)
    {
        this.host = host;
        Configuration = configuration;
        this.simulator = simulator;
        this.azurite = azurite;
        this.startupLogging = startupLogging;
    }

    public IServiceProvider Services => host.Services;

    public IConfiguration Configuration { get; }

    /// <summary>True when every answer comes from the simulator (the dataset must say so).</summary>
    public bool Simulated => string.Equals(Configuration["WildLong:Model:Provider"], ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder for local state: the Azurite data and the response cache (WildLong:Workspace, default .wildlong).</summary>
    public static string Workspace(IConfiguration configuration) => Path.GetFullPath(configuration["WildLong:Workspace"] ?? ".wildlong");

    public static async Task<CliHost> StartAsync(string? configFile, IReadOnlyDictionary<string, string?> flags, CliHostMode mode, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>(flags, StringComparer.OrdinalIgnoreCase);
        var configuration = CliConfiguration.Build(configFile, overrides);

        // What runs before (and outlives) the host — the workspace's Azurite — logs through the same configuration.
        var startupLogging = LoggerFactory.Create(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true));
        SimulatorServer? simulator = null;
        AzuriteLauncher? azurite = null;
        try
        {
            var provider = configuration["WildLong:Model:Provider"] ?? ModelProviders.Simulator;
            if (mode != CliHostMode.Client && string.Equals(provider, ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(configuration["WildLong:Model:Endpoint"]))
            {
                var deployment = configuration["WildLong:Model:Deployment"] ?? "gpt-4o-mini";
                var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0, Deployments = [new DeploymentOptions(deployment, SimulatorTpm, SimulatorRpm)] };
                simulator = await SimulatorServer.StartAsync(options, cancellationToken);
                overrides["WildLong:Model:Endpoint"] = simulator.BaseAddress.ToString();
                overrides["WildLong:Model:ApiKey"] = simulator.ApiKey;
                overrides.TryAdd("WildLong:Model:Tpm", SimulatorTpm.ToString(System.Globalization.CultureInfo.InvariantCulture));
                overrides.TryAdd("WildLong:Model:Rpm", SimulatorRpm.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
            if (mode != CliHostMode.InProcess && !storage.IsConfigured)
            {
                azurite = await LocalAzurite.StartAsync(Workspace(configuration), configuration.GetSection(AzuriteOptions.SectionName).Get<AzuriteOptions>() ?? new AzuriteOptions(), startupLogging.CreateLogger(typeof(LocalAzurite).FullName!), cancellationToken);
                overrides["WildLong:Storage:ConnectionString"] = azurite.ConnectionString;
            }

            configuration = CliConfiguration.Build(configFile, overrides);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(configuration);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
            builder.Services
                .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true))
                .AddWildLongMethod(configuration);
            if (mode == CliHostMode.Client)
            {
                // Reading status needs prices, not a model: no client, no endpoint validation.
                builder.Services.AddSingleton(new CostCalculator(configuration.GetSection($"{ModelOptions.SectionName}:Pricing").Get<ModelPricing>() ?? new ModelPricing()));
            }
            else
            {
                builder.Services.AddWildLongResponseCache(configuration).AddWildLongModel(configuration);
            }

            if (mode != CliHostMode.InProcess)
            {
                builder.Services
                    .AddWildLongStorage(configuration)
                    .AddWildLongPipeline(configuration)
                    .AddWildLongEngine(configuration, PipelineTasks.Register, runWorker: mode == CliHostMode.Engine);
            }

            var host = builder.Build();
            try
            {
                if (mode != CliHostMode.Client)
                {
                    _ = host.Services.GetRequiredService<IOptions<ModelOptions>>().Value;
                    _ = host.Services.GetRequiredService<IChatClient>();
                }

                await host.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                host.Dispose();
                throw new CliException(ExitCodes.Configuration, "configuration error: " + string.Join("; ", ex.Failures));
            }

            return new CliHost(host, configuration, simulator, azurite, startupLogging);
        }
        catch
        {
            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }

            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            startupLogging.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The command's work is done (or has failed with its own message) when this runs: a service that is slow or
        // fails to stop is logged, never turned into the command's failure, and everything else is still stopped.
        await StopQuietlyAsync("the host", async () =>
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stop.Token);
        });
        await StopQuietlyAsync("the host", () =>
        {
            host.Dispose();
            return Task.CompletedTask;
        });
        if (simulator is not null)
        {
            await StopQuietlyAsync("the simulator", () => simulator.DisposeAsync().AsTask());
        }

        if (azurite is not null)
        {
            await StopQuietlyAsync("Azurite", () => azurite.DisposeAsync().AsTask());
        }

        startupLogging.Dispose();
    }

    private async Task StopQuietlyAsync(string what, Func<Task> stop)
    {
        try
        {
            await stop();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var logger = startupLogging.CreateLogger<CliHost>();
            if (logger.IsEnabled(LogLevel.Warning))
            {
                logger.LogWarning(ex, "Stopping {What} failed; the command's result stands", what);
            }
        }
    }
}
