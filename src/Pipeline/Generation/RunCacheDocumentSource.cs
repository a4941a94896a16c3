using WildLong.Core.Documents;
using WildLong.Core.Generation;

namespace WildLong.Pipeline.Generation;

/// <summary>
/// Re-pairing's document source in the durable pipeline: the run's catalog and document texts, read through the
/// worker's <see cref="RunDataCache"/> (so a re-paired document costs one cached blob read).
/// </summary>
public sealed class RunCacheDocumentSource(RunDataCache cache) : IPairDocumentSource
{
    public async Task<IReadOnlyList<IndexedDocument>> CandidatesAsync(string documentType, CancellationToken cancellationToken)
        => [.. (await cache.CatalogAsync(cancellationToken)).Where(d => d.DocumentType == documentType)];

    public Task<LongDocument> LoadAsync(string documentId, CancellationToken cancellationToken)
        => cache.DocumentAsync(documentId, cancellationToken);
}
