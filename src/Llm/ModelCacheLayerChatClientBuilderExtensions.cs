using Microsoft.Extensions.AI;

namespace WildLong.Llm;

/// <summary>Puts a registered <see cref="ModelCacheLayer"/> into a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class ModelCacheLayerChatClientBuilderExtensions
{
    /// <summary>Adds the cache layer (first, so it is outermost: a hit costs no quota, retry or money).</summary>
    public static ChatClientBuilder UseCacheLayer(this ChatClientBuilder builder, ModelCacheLayer cacheLayer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cacheLayer);
        return builder.Use((inner, services) => cacheLayer.Wrap(inner, services));
    }
}
