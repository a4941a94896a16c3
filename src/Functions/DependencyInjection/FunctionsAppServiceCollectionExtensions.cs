using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WildLong.Core.DependencyInjection;
using WildLong.Functions.Estimation;
using WildLong.Functions.Scheduling;
using WildLong.Llm;
using WildLong.Llm.Caching;
using WildLong.Pipeline.DependencyInjection;
using WildLong.Storage;
using WildLong.Storage.Caching;
using WildLong.Storage.Quota;

namespace WildLong.Functions.DependencyInjection;

/// <summary>
/// Everything the Functions app's functions need, in one call the host and the tests share: the method, the model
/// pipeline with its response cache in Blob Storage, storage clients, the durable pipeline's stores, and the app's
/// own options. The same registrations as the local host, so a run behaves the same in both.
/// </summary>
public static class FunctionsAppServiceCollectionExtensions
{
    public static IServiceCollection AddWildLongFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // Registered before AddWildLongResponseCache, which keeps a store registered first: answers are shared by every
        // instance of the app (and later runs) instead of living on one instance's disk.
        services.TryAddSingleton<IResponseCacheStore, BlobResponseCacheStore>();
        services
            .AddWildLongMethod(configuration)
            .AddWildLongResponseCache(configuration)
            .AddWildLongModel(configuration)
            .AddWildLongStorage(configuration)
            .AddWildLongQuotaSharing()
            .AddWildLongPipeline(configuration);

        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.SectionName)).ValidateOnStartWith(o => o.Validate());
        services.AddOptions<EstimateOptions>().Bind(configuration.GetSection(EstimateOptions.SectionName));
        return services;
    }
}
