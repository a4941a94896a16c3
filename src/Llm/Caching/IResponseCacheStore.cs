namespace WildLong.Llm.Caching;

/// <summary>
/// Where complete model answers are kept by content address, so a rerun, a resumed run or a second pipeline over
/// the same inputs pays for each distinct request once. Implementations: in memory (tests), a local folder (local
/// runs) and Blob Storage (<c>WildLong.Storage.Caching.BlobResponseCacheStore</c>, shared by all workers).
/// A store never throws for a corrupt entry: it logs it and reports a miss.
/// </summary>
public interface IResponseCacheStore
{
    /// <summary>The entry stored under <paramref name="key"/>, or null when there is none or it is unreadable.</summary>
    Task<CachedChatResponse?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="entry"/> under its key unless an entry already exists (first writer wins, so
    /// concurrent writers of the same key never clash). Returns true when this call stored it.
    /// </summary>
    Task<bool> PutAsync(CachedChatResponse entry, CancellationToken cancellationToken);
}
