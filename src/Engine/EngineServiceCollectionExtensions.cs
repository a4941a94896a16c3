using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Engine.Hosting;
using WildLong.Storage;

namespace WildLong.Engine;

/// <summary>
/// One call that lets a plain .NET host run Durable Task orchestrations and activities on this machine without Azure
/// Functions: the in-process sidecar over the configured backend, a worker running the registered tasks (with
/// constructor injection from the host's services), and a <see cref="DurableTaskClient"/> to start and watch them.
/// </summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="EngineOptions"/> (<c>WildLong:Engine</c>, validated at start) and <see cref="StorageOptions"/>,
    /// and registers, in this order, the sidecar (a hosted service that creates the task hub and listens before the
    /// worker connects, and stops after it), the worker when <paramref name="runWorker"/> is true, and the client.
    /// Client-only mode (<paramref name="runWorker"/> false) still runs the sidecar, which answers the client but
    /// dispatches nothing. Call it once per host; stopping the host stops worker, sidecar and backend in that order.
    /// </summary>
    public static IServiceCollection AddWildLongEngine(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<DurableTaskRegistry> registerTasks,
        bool runWorker = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(registerTasks);
        if (services.Any(d => d.ServiceType == typeof(EngineSidecar)))
        {
            throw new InvalidOperationException("AddWildLongEngine was already called on this service collection; one host runs one engine.");
        }

        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.SectionName)).ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EngineOptions>, EngineOptionsValidator>());
        services.AddSingleton(sp => new EngineSidecar(
            sp.GetRequiredService<IOptions<EngineOptions>>(),
            sp.GetRequiredService<IOptions<StorageOptions>>(),
            sp.GetRequiredService<ILoggerFactory>(),
            runWorker));

        services.AddSingleton(sp => new EngineHistorySizes(sp.GetRequiredService<EngineSidecar>()));

        // Hosted services start in registration order and stop in reverse: the sidecar first up, last down.
        services.AddHostedService(sp => sp.GetRequiredService<EngineSidecar>());

        if (runWorker)
        {
            services.AddDurableTaskWorker(builder =>
            {
                builder.AddTasks(registerTasks);
                builder.UseGrpc();
                builder.Services.AddOptions<GrpcDurableTaskWorkerOptions>(builder.Name)
                    .Configure<EngineSidecar>((grpc, sidecar) => grpc.Channel = sidecar.Channel);
                builder.Services.AddOptions<DurableTaskWorkerOptions>(builder.Name)
                    .Configure<IOptions<EngineOptions>>((worker, engine) =>
                    {
                        worker.Concurrency.MaximumConcurrentActivityWorkItems = engine.Value.MaxConcurrentActivities;
                        worker.Concurrency.MaximumConcurrentOrchestrationWorkItems = engine.Value.MaxConcurrentOrchestrations;
                    });
            });
        }

        services.AddDurableTaskClient(builder =>
        {
            builder.UseGrpc();
            builder.Services.AddOptions<GrpcDurableTaskClientOptions>(builder.Name)
                .Configure<EngineSidecar>((grpc, sidecar) => grpc.Channel = sidecar.Channel);
        });

        return services;
    }
}
