using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Graphs;
using WildLong.Storage.Blobs;
using WildLong.Storage.Documents;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Keeps what the many generation activities of a run read repeatedly — the graph snapshot, a round's plan, document
/// texts, the run's catalog — in memory per process. Safe because every blob cached here is written once, whole, under a name derived
/// from what produced it, and read only after it is complete.
/// </summary>
public sealed class RunDataCache(PipelineBlobStore blobs, IOptions<PipelineOptions> options)
{
    private const int MaxBlobs = 16;
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> blobCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<LongDocument>>> documents = new(StringComparer.Ordinal);

    public async Task<GraphSet> GraphsAsync(BlobRef snapshot, CancellationToken cancellationToken)
        => (GraphSet)await GetAsync(snapshot, async () => GraphSet.FromJson(await blobs.DownloadTextAsync(snapshot, cancellationToken)));

    public async Task<IReadOnlyList<T>> LinesAsync<T>(BlobRef blob, CancellationToken cancellationToken)
        => (IReadOnlyList<T>)await GetAsync(blob, async () => await blobs.ReadLinesAsync<T>(blob, cancellationToken));

    /// <summary>
    /// The documents the run pairs with, in id order, as frozen by <see cref="BuildGraphSnapshotActivity"/> (pairing
    /// depends on catalog order, so it must not depend on a table's).
    /// </summary>
    public async Task<IReadOnlyList<IndexedDocument>> CatalogAsync(string runId, CancellationToken cancellationToken)
        => [.. (await EntriesAsync(runId, cancellationToken)).Values.Select(e => e.Document).OrderBy(d => d.Id, StringComparer.Ordinal)];

    /// <summary>A document of the run's catalog with its text, read from the content-addressed text blob it was indexed with.</summary>
    public async Task<LongDocument> DocumentAsync(string runId, string id, CancellationToken cancellationToken)
    {
        var entry = (await EntriesAsync(runId, cancellationToken)).GetValueOrDefault(id)
            ?? throw new InvalidOperationException($"document '{id}' is not in run {runId}'s catalog");
        if (documents.Count > options.Value.DocumentTextCacheSize)
        {
            documents.Clear();
        }

        return await documents.GetOrAdd(string.Concat(id, "\n", entry.TextBlob), _ => new Lazy<Task<LongDocument>>(async () =>
        {
            var text = await blobs.DownloadTextAsync(new BlobRef(blobs.Layout.Containers.MetaInfo, entry.TextBlob), cancellationToken);
            return new LongDocument(entry.Document.Id, entry.Document.Title, text, entry.TextBlob, entry.Document.DocumentType);
        })).Value;
    }

    private async Task<Dictionary<string, DocumentIndexEntry>> EntriesAsync(string runId, CancellationToken cancellationToken)
    {
        var blob = blobs.Layout.RunCatalog(runId);
        return (Dictionary<string, DocumentIndexEntry>)await GetAsync(blob, async () =>
            (await blobs.ReadLinesAsync<DocumentIndexEntry>(blob, cancellationToken)).ToDictionary(e => e.Document.Id, StringComparer.Ordinal));
    }

    private async Task<object> GetAsync(BlobRef blob, Func<Task<object>> load)
    {
        if (blobCache.Count > MaxBlobs)
        {
            blobCache.Clear();
        }

        var key = blob.ToString();
        var lazy = blobCache.GetOrAdd(key, _ => new Lazy<Task<object>>(load));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            blobCache.TryRemove(key, out _);
            throw;
        }
    }
}
