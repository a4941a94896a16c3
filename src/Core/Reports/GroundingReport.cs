namespace WildLong.Core.Reports;

/// <summary>
/// Whether the answers rest on the documents: the share of cited passages (≥ 20 characters) found verbatim, after
/// whitespace normalization, in the cited document, and where the found passages start (10-bin depth histogram).
/// </summary>
/// <param name="EvidenceFound">Found ÷ cited passages of at least 20 characters.</param>
/// <param name="PairsWithCitations">Kept pairs citing at least one passage.</param>
/// <param name="ShortPassages">Cited passages under 20 characters, left out of the figure.</param>
/// <param name="EvidenceDepth">Found passages by start offset ÷ document length, in 10 bins (0–10 %, …, 90–100 %).</param>
/// <param name="DepthReason">Why there is no depth histogram (null when there is one).</param>
/// <param name="UnreadablePassages">Passages of pairs whose user turn could not be split into documents (counted as not found).</param>
public sealed record GroundingReport(
    ReportMetric EvidenceFound,
    long PairsWithCitations,
    long ShortPassages,
    IReadOnlyList<long> EvidenceDepth,
    string? DepthReason,
    long UnreadablePassages = 0);
