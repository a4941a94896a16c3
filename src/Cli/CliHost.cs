using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.DependencyInjection;
using WildLong.Llm;
using WildLong.Llm.Caching;
using WildLong.Simulator;

namespace WildLong.Cli;

/// <summary>
/// The services one command runs with: the method, the model client pipeline, and — when the configured model is
/// the simulator and no endpoint is given — a simulator started in this process and stopped with the host.
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    /// <summary>Quota of the auto-started simulator: generous, so the sample finishes in a minute or two.</summary>
    private const int SimulatorTpm = 5_000_000;
    private const int SimulatorRpm = 30_000;

    private readonly SimulatorServer? simulator;

    private CliHost(ServiceProvider services, IConfiguration configuration, SimulatorServer? simulator)
    {
        Services = services;
        Configuration = configuration;
        this.simulator = simulator;
    }

    public ServiceProvider Services { get; }

    public IConfiguration Configuration { get; }

    /// <summary>True when every answer comes from the simulator (the dataset must say so).</summary>
    public bool Simulated => string.Equals(Configuration["WildLong:Model:Provider"], ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase);

    public static async Task<CliHost> StartAsync(string? configFile, IReadOnlyDictionary<string, string?> flags, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>(flags, StringComparer.OrdinalIgnoreCase);
        var configuration = CliConfiguration.Build(configFile, overrides);
        SimulatorServer? simulator = null;
        var provider = configuration["WildLong:Model:Provider"] ?? ModelProviders.Simulator;
        if (string.Equals(provider, ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(configuration["WildLong:Model:Endpoint"]))
        {
            var deployment = configuration["WildLong:Model:Deployment"] ?? "gpt-4o-mini";
            var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0, Deployments = [new DeploymentOptions(deployment, SimulatorTpm, SimulatorRpm)] };
            simulator = await SimulatorServer.StartAsync(options, cancellationToken);
            overrides["WildLong:Model:Endpoint"] = simulator.BaseAddress.ToString();
            overrides["WildLong:Model:ApiKey"] = simulator.ApiKey;
            overrides.TryAdd("WildLong:Model:Tpm", SimulatorTpm.ToString(System.Globalization.CultureInfo.InvariantCulture));
            overrides.TryAdd("WildLong:Model:Rpm", SimulatorRpm.ToString(System.Globalization.CultureInfo.InvariantCulture));
            configuration = CliConfiguration.Build(configFile, overrides);
        }

        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true))
            .AddWildLongMethod(configuration)
            .AddWildLongResponseCache(configuration)
            .AddWildLongModel(configuration)
            .BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<ModelOptions>>().Value;
            _ = services.GetRequiredService<Microsoft.Extensions.AI.IChatClient>();
        }
        catch (OptionsValidationException ex)
        {
            await services.DisposeAsync();
            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }

            throw new CliException(ExitCodes.Configuration, "configuration error: " + string.Join("; ", ex.Failures));
        }

        return new CliHost(services, configuration, simulator);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (simulator is not null)
        {
            await simulator.DisposeAsync();
        }
    }
}
