namespace WildLong.Core.MetaInfo;

/// <summary>
/// The meta-information extracted from one user query after normalization: its document type (a taxonomy name)
/// and, per schema field, the values found (single-valued fields hold one value; empty or null fields are absent).
/// This is the unit the co-occurrence graphs are built from.
/// </summary>
public sealed record MetaInfoRecord(
    string QueryId,
    string DocumentType,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Fields)
{
    /// <summary>
    /// For fields with a vocabulary: field → (canonical value → the user's own words for it). The canonical value is
    /// the graph node; the detail is kept beside it so an instruction writer can be specific again and a report can
    /// show what a node stands for. Null when no value has a detail. Merging values joins their details.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Details { get; init; }

    /// <summary>The detail the user gave for <paramref name="value"/> of <paramref name="field"/>, or null.</summary>
    public string? DetailOf(string field, string value)
        => Details is not null && Details.TryGetValue(field, out var perField) && perField.TryGetValue(value, out var detail) ? detail : null;
}
