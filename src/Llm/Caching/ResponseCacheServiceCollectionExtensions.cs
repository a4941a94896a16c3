using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;

namespace WildLong.Llm.Caching;

/// <summary>
/// Puts the response cache into the model pipeline (outermost, so a hit costs no quota). The store defaults to a
/// folder; a host that registers another <see cref="IResponseCacheStore"/> first (Blob Storage) keeps its own.
/// </summary>
public static class ResponseCacheServiceCollectionExtensions
{
    public static IServiceCollection AddWildLongResponseCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ResponseCacheOptions>().Bind(configuration.GetSection(ResponseCacheOptions.SectionName));
        services.TryAddSingleton<ModelMetrics>();
        services.TryAddSingleton<UsageLedger>();
        services.TryAddSingleton<IResponseCacheStore, FileSystemResponseCacheStore>();
        services.TryAddSingleton(sp => new ModelCacheLayer((inner, provider) =>
        {
            var options = sp.GetRequiredService<IOptions<ResponseCacheOptions>>();
            return options.Value.Enabled
                ? new ResponseCachingChatClient(inner, sp.GetRequiredService<IResponseCacheStore>(), options, sp.GetRequiredService<UsageLedger>(), sp.GetRequiredService<ILogger<ResponseCachingChatClient>>(), sp.GetService<ModelIdentity>())
                : inner;
        }));
        return services;
    }
}
