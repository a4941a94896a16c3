using WildLong.Core.Documents;

namespace WildLong.Core.Generation;

/// <summary>
/// Where pair generation finds other documents of a type when an instruction does not fit its planned one(s):
/// the catalog to choose from and the texts to load. The in-process runner serves them from memory, the durable
/// pipeline from its run cache; generation itself stays free of I/O decisions.
/// </summary>
public interface IPairDocumentSource
{
    /// <summary>The indexed documents of <paramref name="documentType"/>, in any order.</summary>
    Task<IReadOnlyList<IndexedDocument>> CandidatesAsync(string documentType, CancellationToken cancellationToken);

    /// <summary>The full document with id <paramref name="documentId"/>.</summary>
    Task<LongDocument> LoadAsync(string documentId, CancellationToken cancellationToken);
}
