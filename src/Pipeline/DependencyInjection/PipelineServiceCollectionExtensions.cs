using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WildLong.Core.DependencyInjection;
using WildLong.Pipeline.Capacity;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;
using WildLong.Storage;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.DependencyInjection;

/// <summary>
/// Registers what the pipeline's activities need beyond the method and the model: its options, blob I/O, the Table
/// stores, per-run stage factory and caches. Hosts call it after <c>AddWildLongMethod</c>, <c>AddWildLongModel</c>
/// and <c>AddWildLongStorage</c>, then register <see cref="PipelineTasks"/> with their worker.
/// </summary>
public static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddWildLongPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HostingPrices>().Bind(configuration.GetSection(HostingPrices.SectionName));
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateOnStartWith(o => o.Validate());
        services.TryAddSingleton(sp => new PipelineBlobStore(
            sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<IOptions<StorageOptions>>(),
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value.ShardCacheDirectory));
        services.TryAddSingleton<InputSlices>();
        services.TryAddSingleton<RunStageFactory>();
        services.TryAddSingleton<RunDataCache>();
        services.TryAddSingleton(RunShape.FromServices);
        services.AddWildLongStores();
        return services;
    }
}
