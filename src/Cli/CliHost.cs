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
using WildLong.Development.Azurite;
using WildLong.Storage.Quota;

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
    private readonly WorkspaceLock? workspaceLock;

    private CliHost(IHost host, IConfiguration configuration, SimulatorServer? simulator, AzuriteLauncher? azurite, ILoggerFactory startupLogging, WorkspaceLock? workspaceLock)
    {
        this.host = host;
        Configuration = configuration;
        this.simulator = simulator;
        this.azurite = azurite;
        this.startupLogging = startupLogging;
        this.workspaceLock = workspaceLock;
    }

    /// <summary>Configuration section of the auto-started simulator's injected faults (<see cref="FaultOptions"/>).</summary>
    public const string SimulatorFaultsSection = "WildLong:Simulator:Faults";

    /// <summary>Configuration key: wait for a workspace another process holds instead of failing (<c>--wait-for-lock</c>).</summary>
    public const string WaitForWorkspaceKey = "WildLong:WorkspaceLock:Wait";

    public IServiceProvider Services => host.Services;

    public IConfiguration Configuration { get; }

    /// <summary>
    /// True when the answers come from the simulator (the dataset must say so): decided by the run's
    /// <see cref="ModelIdentity"/> — the simulator provider, or an endpoint that identified itself as the simulator
    /// when probed — not by the provider name alone.
    /// </summary>
    public bool Simulated => host.Services.GetService<ModelIdentity>()?.Simulated ?? false;

    /// <summary>The folder for local state: the Azurite data, logs and the response cache (WildLong:Workspace, default .wildlong).</summary>
    public static string Workspace(IConfiguration configuration) => Path.GetFullPath(configuration["WildLong:Workspace"] ?? ".wildlong");

    /// <summary>
    /// Builds the configuration, checks every setting and the workspace, probes the model endpoint when
    /// <paramref name="probeModel"/> (run, resume, worker) — all before anything starts — then starts what the mode
    /// needs. Bad settings throw a <see cref="CliException"/> with exit code 2, a dead endpoint exit code 4.
    /// </summary>
    public static async Task<CliHost> StartAsync(string? configFile, IReadOnlyDictionary<string, string?> flags, CliHostMode mode, CancellationToken cancellationToken, bool probeModel = false)
    {
        var overrides = new Dictionary<string, string?>(flags, StringComparer.OrdinalIgnoreCase);
        if (WildLongCommandLine.WaitForLock)
        {
            overrides[WaitForWorkspaceKey] = "true";
        }
        var configuration = CliConfiguration.Build(configFile, overrides);
        var autoSimulator = mode != CliHostMode.Client
            && string.Equals(configuration["WildLong:Model:Provider"] ?? ModelProviders.Simulator, ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase)
            && string.IsNullOrEmpty(configuration["WildLong:Model:Endpoint"]);
        ValidateSettings(configuration, mode, autoSimulator);
        _ = CliLog.Keep(configuration);
        var workspace = Workspace(configuration);
        CheckWritable(workspace, "workspace (WildLong:Workspace)");
        var probed = probeModel && mode != CliHostMode.Client && !autoSimulator ? await ProbeModelAsync(configuration, cancellationToken) : null;
        var storageConfigured = (configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions()).IsConfigured;

        // A read-only command reads the storage of the process that holds the workspace instead of waiting for it.
        var holderStorage = mode == CliHostMode.Client && !storageConfigured ? HolderStorage(workspace) : null;
        if (holderStorage is not null)
        {
            overrides["WildLong:Storage:ConnectionString"] = holderStorage;
            storageConfigured = true;
        }

        // The workspace's Azurite belongs to one process at a time: take the lock before anything touches it, so a
        // second command waits or stops with the holder's name, and never stops the holder's Azurite.
        var workspaceLock = mode != CliHostMode.InProcess && !storageConfigured ? await LockWorkspaceAsync(workspace, configuration, cancellationToken) : null;

        // What runs before (and outlives) the host — the workspace's Azurite — logs to the same file.
        ILoggerFactory startupLogging;
        try
        {
            startupLogging = CliLog.Open(workspace, configuration);
        }
        catch
        {
            workspaceLock?.Dispose();
            throw;
        }

        if (workspaceLock?.TakenOverFrom is { } stale)
        {
            var logger = startupLogging.CreateLogger<CliHost>();
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Took over the workspace lock of {Holder}: that process is gone", WorkspaceLock.Describe(stale));
            }
        }

        SimulatorServer? simulator = null;
        AzuriteLauncher? azurite = null;
        try
        {
            if (autoSimulator)
            {
                var deployment = configuration["WildLong:Model:Deployment"] ?? "gpt-4o-mini";
                var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0, Deployments = [new DeploymentOptions(deployment, SimulatorTpm, SimulatorRpm)] };

                // Injected faults for tests and the chaos bench (WildLong:Simulator:Faults:ServerErrorRate, …; none by default).
                configuration.GetSection(SimulatorFaultsSection).Bind(options.Faults);
                simulator = await SimulatorServer.StartAsync(options, cancellationToken);
                overrides["WildLong:Model:Endpoint"] = simulator.BaseAddress.ToString();
                overrides["WildLong:Model:ApiKey"] = simulator.ApiKey;
                overrides.TryAdd("WildLong:Model:Tpm", SimulatorTpm.ToString(System.Globalization.CultureInfo.InvariantCulture));
                overrides.TryAdd("WildLong:Model:Rpm", SimulatorRpm.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (mode != CliHostMode.InProcess && !storageConfigured)
            {
                azurite = await LocalAzurite.StartAsync(workspace, configuration.GetSection(AzuriteOptions.SectionName).Get<AzuriteOptions>() ?? new AzuriteOptions(), startupLogging.CreateLogger(typeof(LocalAzurite).FullName!), cancellationToken);
                overrides["WildLong:Storage:ConnectionString"] = azurite.ConnectionString;
                await workspaceLock!.PublishStorageAsync(azurite.BlobEndpoint, azurite.QueueEndpoint, azurite.TableEndpoint, cancellationToken);
            }

            configuration = CliConfiguration.Build(configFile, overrides);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(configuration);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
            builder.Services.AddSingleton<IHostLifetime, CliHostLifetime>(); // signals go to the command, see CliHostLifetime
            builder.Services.AddLogging(logging => CliLog.Configure(logging, configuration));
            if (probed is not null)
            {
                builder.Services.AddSingleton(probed);
            }

            ConfigureServices(builder.Services, configuration, mode);
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

            return new CliHost(host, configuration, simulator, azurite, startupLogging, workspaceLock);
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
            workspaceLock?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The connection string of the Azurite that the live holder of <paramref name="workspace"/>'s lock runs on this
    /// machine, when it has named one; null otherwise (then the command takes the lock as usual).
    /// </summary>
    private static string? HolderStorage(string workspace)
        => WorkspaceLock.ReadLiveHolder(workspace) is { BlobEndpoint: { } blob, QueueEndpoint: { } queue, TableEndpoint: { } table }
            ? AzuriteLauncher.ConnectionStringFor(blob, queue, table)
            : null;

    /// <summary>
    /// Takes the workspace lock (<see cref="WorkspaceLock"/>); with <see cref="WaitForWorkspaceKey"/> true it waits,
    /// saying once who it waits for, otherwise another holder is one line and <see cref="ExitCodes.WorkspaceBusy"/>.
    /// </summary>
    private static async Task<WorkspaceLock> LockWorkspaceAsync(string workspace, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var waitText = configuration[WaitForWorkspaceKey];
        var wait = false;
        if (!string.IsNullOrWhiteSpace(waitText) && !bool.TryParse(waitText, out wait))
        {
            throw new CliException(ExitCodes.Configuration, $"configuration error: {WaitForWorkspaceKey} is '{waitText}', which is not true or false");
        }

        var started = DateTimeOffset.UtcNow;
        var waited = false;
        var acquired = await WorkspaceLock.AcquireAsync(workspace, WildLongCommandLine.CommandText, wait,
            holder =>
            {
                waited = true;
                Spectre.Console.AnsiConsole.MarkupLineInterpolated(
                    $"[yellow]waiting[/] for the workspace {workspace}: in use by {WorkspaceLock.Describe(holder)} (Ctrl+C to stop waiting)");
            },
            cancellationToken);
        if (waited)
        {
            Spectre.Console.AnsiConsole.MarkupLineInterpolated($"workspace {workspace} is free after {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s; continuing");
        }

        return acquired;
    }

    /// <summary>
    /// Checks that <paramref name="folder"/> can be created and written to, before a run pays for anything;
    /// throws a <see cref="CliException"/> (exit code 2) naming it and <paramref name="what"/> otherwise.
    /// </summary>
    public static void CheckWritable(string folder, string what)
    {
        if (File.Exists(folder))
        {
            throw new CliException(ExitCodes.Configuration, $"the {what} {folder} is an existing file, not a folder");
        }

        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".wildlong-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Configuration, $"the {what} {folder} is not writable ({ex.Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>The services of a host in <paramref name="mode"/>, registered the same way for the pre-start check and the host.</summary>
    private static void ConfigureServices(IServiceCollection services, IConfiguration configuration, CliHostMode mode)
    {
        services.AddWildLongMethod(configuration);
        if (mode == CliHostMode.Client)
        {
            // Reading status needs prices, not a model: no client, no endpoint validation.
            services.AddSingleton(new CostCalculator(configuration.GetSection($"{ModelOptions.SectionName}:Pricing").Get<ModelPricing>() ?? new ModelPricing()));
        }
        else
        {
            services.AddWildLongResponseCache(configuration).AddWildLongModel(configuration);
        }

        if (mode != CliHostMode.InProcess)
        {
            services.AddWildLongStorage(configuration);
            if (mode != CliHostMode.Client)
            {
                // Workers of one deployment share its quota (by demand, long calls in turns) instead of each taking all of it.
                services.AddWildLongQuotaSharing();
            }

            services
                .AddWildLongPipeline(configuration)
                .AddWildLongEngine(configuration, PipelineTasks.Register, runWorker: mode == CliHostMode.Engine);
        }
    }

    /// <summary>
    /// Every setting checked before anything starts: the services registered as the host will register them, with
    /// stand-ins for what is only known after start (the auto-started simulator's address, the workspace Azurite's
    /// connection string), then every options type read and validated (<see cref="CliSettingsValidator"/>).
    /// </summary>
    private static void ValidateSettings(IConfiguration configuration, CliHostMode mode, bool autoSimulator)
    {
        var standIns = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (autoSimulator)
        {
            standIns["WildLong:Model:Endpoint"] = "http://127.0.0.1:1/";
        }

        var checkedConfiguration = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(standIns).Build();
        try
        {
            var storage = checkedConfiguration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
            if (mode != CliHostMode.InProcess && !storage.IsConfigured)
            {
                standIns["WildLong:Storage:ConnectionString"] = "UseDevelopmentStorage=true";
                checkedConfiguration = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(standIns).Build();
            }

            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(checkedConfiguration);
            services.AddLogging();
            ConfigureServices(services, checkedConfiguration, mode);
            CliSettingsValidator.Validate(services, checkedConfiguration);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            throw CliSettingsValidator.Describe(ex, checkedConfiguration);
        }
    }

    /// <summary>One short request to the configured endpoint; a dead one fails here, before storage or the engine start.</summary>
    private static async Task<ModelIdentity?> ProbeModelAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var model = configuration.GetSection(ModelOptions.SectionName).Get<ModelOptions>() ?? new ModelOptions();
        var result = await ModelEndpointProbe.ProbeAsync(model, ModelEndpointProbe.DefaultTimeout, handler: null, cancellationToken);
        if (!result.Reachable)
        {
            throw new CliException(ExitCodes.ModelUnreachable,
                $"the model endpoint {model.Endpoint} ({model.Provider}) does not answer: {result.Error}. Start it, or fix WildLong:Model:Endpoint; nothing was run");
        }

        return result.IsSimulator ? ModelIdentity.From(model) with { Simulated = true } : null;
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
        workspaceLock?.Dispose(); // last: the workspace's Azurite has saved and stopped
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
