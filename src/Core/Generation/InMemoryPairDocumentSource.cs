using WildLong.Core.Documents;

namespace WildLong.Core.Generation;

/// <summary>An <see cref="IPairDocumentSource"/> over a catalog and texts already in memory (the in-process runner, tests).</summary>
public sealed class InMemoryPairDocumentSource : IPairDocumentSource
{
    private readonly ILookup<string, IndexedDocument> byType;
    private readonly Dictionary<string, LongDocument> texts;

    public InMemoryPairDocumentSource(IEnumerable<IndexedDocument> catalog, IEnumerable<LongDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(documents);
        byType = catalog.ToLookup(d => d.DocumentType, StringComparer.Ordinal);
        texts = documents.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public Task<IReadOnlyList<IndexedDocument>> CandidatesAsync(string documentType, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<IndexedDocument>>([.. byType[documentType]]);

    public Task<LongDocument> LoadAsync(string documentId, CancellationToken cancellationToken)
        => texts.TryGetValue(documentId, out var document)
            ? Task.FromResult(document)
            : throw new KeyNotFoundException($"document '{documentId}' is in the catalog but its text is not loaded");
}
