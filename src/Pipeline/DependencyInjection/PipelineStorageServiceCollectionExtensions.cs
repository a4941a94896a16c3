using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WildLong.Pipeline.Documents;
using WildLong.Pipeline.Graphs;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.DependencyInjection;

/// <summary>
/// Registers the pipeline's Table Storage stores, so the Functions host, the embedded engine and the CLI get the
/// same singletons over the clients that <c>AddWildLongStorage</c> registered.
/// </summary>
public static class PipelineStorageServiceCollectionExtensions
{
    /// <summary>Adds <see cref="GraphCountStore"/>, <see cref="DocumentIndexStore"/> and <see cref="RunStore"/> as singletons.</summary>
    public static IServiceCollection AddWildLongPipelineStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.TryAddSingleton<GraphCountStore>();
        services.TryAddSingleton<DocumentIndexStore>();
        services.TryAddSingleton<RunStore>();
        return services;
    }
}
