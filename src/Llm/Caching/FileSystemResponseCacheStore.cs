using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WildLong.Llm.Caching;

/// <summary>
/// A cache store in a local folder (<c>{dir}/{key[0..2]}/{key}.json</c>) for local runs without Azure Storage; it
/// survives restarts, and entries are written to a temporary file and moved into place so readers never see half
/// an entry and concurrent writers of one key never clash.
/// </summary>
public sealed class FileSystemResponseCacheStore : IResponseCacheStore
{
    private readonly string root;
    private readonly ILogger<FileSystemResponseCacheStore> logger;

    public FileSystemResponseCacheStore(IOptions<ResponseCacheOptions> options, ILogger<FileSystemResponseCacheStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        root = Path.GetFullPath(options.Value.Directory);
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public string Root => root;

    public async Task<CachedChatResponse?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var entry = ResponseCacheEntryJson.TryDeserialize(bytes, key, out var error);
        if (entry is null)
        {
            if (logger.IsEnabled(LogLevel.Warning))
            {
                logger.LogWarning("Response cache entry {Path} is corrupt ({Error}); treated as a miss and removed", path, error);
            }

            // Entries are only ever created, never replaced, so removing the corrupt one lets the next answer be stored.
            TryDelete(path);
        }

        return entry;
    }

    /// <summary>How old an unfinished write's claim must be before another writer may take it over.</summary>
    public static readonly TimeSpan StaleClaimAge = TimeSpan.FromMinutes(1);

    public async Task<bool> PutAsync(CachedChatResponse entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var path = PathOf(entry.Key);
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // First writer wins: the claim is an exclusive create (atomic on every file system), the entry then appears
        // whole by rename. A claim left by a crashed writer is taken over once it is older than StaleClaimAge.
        var claim = path + ".claim";
        if (!TryClaim(claim))
        {
            return false;
        }

        try
        {
            if (File.Exists(path))
            {
                return false;
            }

            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(temporary, ResponseCacheEntryJson.Serialize(entry), cancellationToken);
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        finally
        {
            TryDelete(claim);
        }
    }

    private static bool TryClaim(string claim)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using (new FileStream(claim, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                }

                return true;
            }
            catch (IOException)
            {
                // Another writer holds the claim, or just released it (then its entry exists and the caller's
                // existence check after claiming returns false). Only a stale claim is taken over.
                DateTime written;
                try
                {
                    written = File.GetLastWriteTimeUtc(claim);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                if (!File.Exists(claim))
                {
                    continue;
                }

                if (DateTime.UtcNow - written < StaleClaimAge)
                {
                    return false;
                }

                TryDelete(claim);
            }
        }

        return false;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Stays a miss until someone can remove it.
        }
    }

    private string PathOf(string key)
    {
        if (!ResponseCacheKey.IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a response cache key (64 lowercase hex digits).", nameof(key));
        }

        return Path.Combine(root, key[..2], key + ".json");
    }
}
