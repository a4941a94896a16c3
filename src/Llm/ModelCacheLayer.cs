using Microsoft.Extensions.AI;

namespace WildLong.Llm;

/// <summary>
/// The hook for the response cache (written in <c>src/Llm/Caching</c>): registered in DI, its <see cref="Wrap"/> is
/// applied OUTERMOST by <see cref="ChatClientFactory"/> — outside resilience and the quota limiter — so a cache hit
/// costs no quota, no retry and no money. Without a registration the pipeline has no cache.
/// <code>services.AddSingleton(new ModelCacheLayer((inner, sp) => new ResponseCachingChatClient(inner, ...)));</code>
/// </summary>
public sealed class ModelCacheLayer
{
    private readonly Func<IChatClient, IServiceProvider?, IChatClient> wrap;

    public ModelCacheLayer(Func<IChatClient, IServiceProvider?, IChatClient> wrap)
        => this.wrap = wrap ?? throw new ArgumentNullException(nameof(wrap));

    /// <summary>Wraps the resilient, quota-limited client in the cache.</summary>
    public IChatClient Wrap(IChatClient inner, IServiceProvider? services) => wrap(inner, services);
}
