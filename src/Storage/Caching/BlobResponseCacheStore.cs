using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Llm.Caching;

namespace WildLong.Storage.Caching;

/// <summary>
/// The response cache in Blob Storage (container <c>llm-cache</c>, blob <c>{key[0..2]}/{key}.json</c>), shared by
/// every worker of a run and by later runs. Writes are conditional (<c>If-None-Match: *</c>), so when two workers
/// answer the same request at once the first entry stays and the second write is a harmless no-op.
/// </summary>
public sealed class BlobResponseCacheStore : IResponseCacheStore
{
    private readonly BlobContainerClient container;
    private readonly ILogger<BlobResponseCacheStore> logger;
    private Task? containerCreation;

    public BlobResponseCacheStore(BlobServiceClient blobService, IOptions<StorageOptions> options, ILogger<BlobResponseCacheStore> logger)
    {
        ArgumentNullException.ThrowIfNull(blobService);
        ArgumentNullException.ThrowIfNull(options);
        container = blobService.GetBlobContainerClient(options.Value.Containers.LlmCache);
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public BlobContainerClient Container => container;

    /// <summary>The blob name of <paramref name="key"/>: a two-character prefix folder spreads keys over partitions.</summary>
    public static string BlobNameOf(string key)
    {
        if (!ResponseCacheKey.IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a response cache key (64 lowercase hex digits).", nameof(key));
        }

        return $"{key[..2]}/{key}.json";
    }

    public async Task<CachedChatResponse?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(BlobNameOf(key));
        BlobDownloadResult download;
        try
        {
            download = (await blob.DownloadContentAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        var entry = ResponseCacheEntryJson.TryDeserialize(download.Content.ToMemory().Span, key, out var error);
        if (entry is null)
        {
            if (logger.IsEnabled(LogLevel.Warning))
            {
                logger.LogWarning("Response cache blob {Container}/{Blob} is corrupt ({Error}); treated as a miss and removed", container.Name, blob.Name, error);
            }

            await TryDeleteCorruptAsync(blob, download.Details.ETag, cancellationToken);
        }

        return entry;
    }

    public async Task<bool> PutAsync(CachedChatResponse entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var blob = container.GetBlobClient(BlobNameOf(entry.Key));
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await blob.UploadAsync(new BinaryData(ResponseCacheEntryJson.Serialize(entry)), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Another writer stored this key first; its entry is equivalent.
            return false;
        }
    }

    /// <summary>
    /// Removes the corrupt version just read (If-Match its ETag, so a good entry written meanwhile survives); the
    /// next answer can then be stored despite If-None-Match.
    /// </summary>
    private async Task TryDeleteCorruptAsync(BlobClient blob, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await blob.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = etag }, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            if (logger.IsEnabled(LogLevel.Warning))
            {
                logger.LogWarning("Could not remove corrupt response cache blob {Blob}: {Status} {Code}", blob.Name, ex.Status, ex.ErrorCode);
            }
        }
    }

    /// <summary>Creates the container once per store (shared by concurrent callers); a failed attempt is retried by the next call.</summary>
    private Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        var creation = Volatile.Read(ref containerCreation);
        if (creation is null || creation.IsFaulted || creation.IsCanceled)
        {
            Interlocked.CompareExchange(ref containerCreation, container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None), creation);
            creation = Volatile.Read(ref containerCreation)!;
        }

        return creation.WaitAsync(cancellationToken);
    }
}
