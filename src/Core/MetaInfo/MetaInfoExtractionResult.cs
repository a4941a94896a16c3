using WildLong.Core.Common;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// What extraction made of a batch. Unlike most stages it has three outcomes, because "this query is not a
/// long-context request" is an expected, frequent answer and must not be counted as a failure: extracted records,
/// filtered queries (with the reason) and quarantined ones (failed calls, invalid answers after retries).
/// Every input query appears in exactly one of the three lists, in input order.
/// </summary>
public sealed record MetaInfoExtractionResult(
    IReadOnlyList<ExtractedMetaInfo> Extracted,
    IReadOnlyList<FilteredQuery> Filtered,
    IReadOnlyList<QuarantineEntry> Quarantined)
{
    public static MetaInfoExtractionResult Empty { get; } = new([], [], []);

    /// <summary>The extracted records and the quarantine, in the shape every stage returns.</summary>
    public BatchResult<ExtractedMetaInfo> ToBatchResult() => new(Extracted, Quarantined);
}
