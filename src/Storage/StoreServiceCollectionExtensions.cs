using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WildLong.Storage.Documents;
using WildLong.Storage.Graphs;
using WildLong.Storage.Runs;

namespace WildLong.Storage;

/// <summary>
/// Registers the stores the orchestrations keep their state in, so the Functions host, the embedded engine and the
/// CLI get the same singletons over the clients that <c>AddWildLongStorage</c> registered.
/// </summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>Adds <see cref="GraphCountStore"/>, <see cref="DocumentIndexStore"/> and <see cref="RunStore"/> as singletons.</summary>
    public static IServiceCollection AddWildLongStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.TryAddSingleton<GraphCountStore>();
        services.TryAddSingleton<DocumentIndexStore>();
        services.TryAddSingleton<RunStore>();
        return services;
    }
}
