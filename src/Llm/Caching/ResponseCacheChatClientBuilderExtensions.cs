using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;

namespace WildLong.Llm.Caching;

/// <summary>Puts the response cache into a <see cref="ChatClientBuilder"/> pipeline, resolving its parts from DI.</summary>
public static class ResponseCacheChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ResponseCachingChatClient"/>. Place it outermost (before limiter and retries), so a hit
    /// costs no quota. Missing arguments come from the service provider: <see cref="IResponseCacheStore"/>,
    /// <c>IOptions&lt;ResponseCacheOptions&gt;</c>, <see cref="UsageLedger"/>, logging.
    /// </summary>
    public static ChatClientBuilder UseResponseCache(this ChatClientBuilder builder, IResponseCacheStore? store = null, ResponseCacheOptions? options = null, UsageLedger? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new ResponseCachingChatClient(
            inner,
            store ?? services.GetRequiredService<IResponseCacheStore>(),
            options is not null ? Options.Create(options) : services.GetService<IOptions<ResponseCacheOptions>>() ?? Options.Create(new ResponseCacheOptions()),
            ledger ?? services.GetService<UsageLedger>(),
            services.GetService<ILogger<ResponseCachingChatClient>>() ?? NullLogger<ResponseCachingChatClient>.Instance,
            services.GetService<ModelIdentity>()));
    }
}
