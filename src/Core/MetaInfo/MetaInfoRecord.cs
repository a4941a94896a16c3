namespace WildLong.Core.MetaInfo;

/// <summary>
/// The meta-information extracted from one user query after normalization: its document type (a taxonomy name)
/// and, per schema field, the values found (single-valued fields hold one value; empty or null fields are absent).
/// This is the unit the co-occurrence graphs are built from.
/// </summary>
public sealed record MetaInfoRecord(
    string QueryId,
    string DocumentType,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Fields);
