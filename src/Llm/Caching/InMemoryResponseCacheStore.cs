using System.Collections.Concurrent;

namespace WildLong.Llm.Caching;

/// <summary>A process-local cache store for tests and one-off runs; first writer wins like the durable stores.</summary>
public sealed class InMemoryResponseCacheStore : IResponseCacheStore
{
    private readonly ConcurrentDictionary<string, CachedChatResponse> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public Task<CachedChatResponse?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Task.FromResult(entries.TryGetValue(key, out var entry) ? entry : null);
    }

    public Task<bool> PutAsync(CachedChatResponse entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Task.FromResult(entries.TryAdd(entry.Key, entry));
    }
}
