using WildLong.Core.Documents;
using WildLong.Core.Generation;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Re-pairing's document source in the durable pipeline: the run's own catalog and document texts, read through the
/// worker's <see cref="RunDataCache"/> (so a re-paired document costs one cached blob read).
/// </summary>
public sealed class RunCacheDocumentSource(RunDataCache cache, string runId) : IPairDocumentSource
{
    public async Task<IReadOnlyList<IndexedDocument>> CandidatesAsync(string documentType, CancellationToken cancellationToken)
        => [.. (await cache.CatalogAsync(runId, cancellationToken)).Where(d => d.DocumentType == documentType)];

    public Task<LongDocument> LoadAsync(string documentId, CancellationToken cancellationToken)
        => cache.DocumentAsync(runId, documentId, cancellationToken);
}
