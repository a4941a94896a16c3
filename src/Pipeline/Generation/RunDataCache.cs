using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Graphs;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Documents;

namespace WildLong.Pipeline.Generation;

/// <summary>
/// Keeps what the many generation activities of a run read repeatedly — the graph snapshot, a round's plan, document
/// texts — in memory per process. Safe because every blob cached here is written once, whole, under a name derived
/// from what produced it, and read only after it is complete.
/// </summary>
public sealed class RunDataCache(PipelineBlobStore blobs, DocumentIndexStore index, IOptions<PipelineOptions> options)
{
    private const int MaxBlobs = 16;
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> blobCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<LongDocument>>> documents = new(StringComparer.Ordinal);

    public async Task<GraphSet> GraphsAsync(BlobRef snapshot, CancellationToken cancellationToken)
        => (GraphSet)await GetAsync(snapshot, async () => GraphSet.FromJson(await blobs.DownloadTextAsync(snapshot, cancellationToken)));

    public async Task<IReadOnlyList<T>> LinesAsync<T>(BlobRef blob, CancellationToken cancellationToken)
        => (IReadOnlyList<T>)await GetAsync(blob, async () => await blobs.ReadLinesAsync<T>(blob, cancellationToken));

    /// <summary>The document index, in id order (pairing depends on catalog order, so it must not depend on the table's).</summary>
    public async Task<IReadOnlyList<IndexedDocument>> CatalogAsync(CancellationToken cancellationToken)
        => [.. (await index.ReadAllAsync(cancellationToken)).Select(e => e.Document).OrderBy(d => d.Id, StringComparer.Ordinal)];

    public Task<LongDocument> DocumentAsync(string id, CancellationToken cancellationToken)
    {
        if (documents.Count > options.Value.DocumentTextCacheSize)
        {
            documents.Clear();
        }

        return documents.GetOrAdd(id, key => new Lazy<Task<LongDocument>>(async () =>
        {
            var entry = await index.GetAsync(key, cancellationToken)
                ?? throw new InvalidOperationException($"document '{key}' is not in the document index; index the corpus again");
            var text = await blobs.DownloadTextAsync(new BlobRef(blobs.Layout.Containers.MetaInfo, entry.TextBlob), cancellationToken);
            return new LongDocument(entry.Document.Id, entry.Document.Title, text, entry.TextBlob, entry.Document.DocumentType);
        })).Value;
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
