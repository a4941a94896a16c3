namespace WildLong.Core.MetaInfo;

/// <summary>
/// The meta-information the model extracted from one query, before normalization: raw values per field exactly as
/// answered (booleans as "true"/"false", unknown fields absent) and the document type already resolved into the
/// taxonomy. Kept separately from <see cref="MetaInfoRecord"/> so normalization can be re-run or changed without
/// paying for the model calls again.
/// </summary>
/// <param name="QueryId">The id of the <see cref="Queries.UserQuery"/>.</param>
/// <param name="DocumentType">A taxonomy type name (or the taxonomy's "other").</param>
/// <param name="RawDocumentType">The document type as the model answered it, or null.</param>
/// <param name="Fields">Raw values per field other than the document type.</param>
/// <param name="PromptId">The prompt (name@version) that produced the answer.</param>
/// <param name="SchemaFingerprint">The <see cref="MetaInfoSchema.Fingerprint"/> of the schema used.</param>
/// <param name="QueryWasCut">Whether the query was cut to a head and a tail for the prompt.</param>
/// <param name="Attempts">Model attempts used (more than one when an answer was rejected and retried).</param>
public sealed record ExtractedMetaInfo(
    string QueryId,
    string DocumentType,
    string? RawDocumentType,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Fields,
    string PromptId,
    string SchemaFingerprint,
    bool QueryWasCut,
    int Attempts)
{
    /// <summary>
    /// For fields with a vocabulary: the user's own words for each value, index for index with <see cref="Fields"/>
    /// (an empty string when the model gave no detail). Null when no field has a vocabulary.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Details { get; init; }
}
