namespace WildLong.Core.Reports;

/// <summary>
/// What the dataset covers: planned vs kept per document type, task kind and length bucket; the multi-document share
/// and the length-bucket mix against their targets; how often each document is reused; where the instruction sits.
/// </summary>
/// <param name="Rows">Planned and kept per (type, kind, bucket).</param>
/// <param name="MultiDocumentShare">Kept pairs with ≥ 2 documents ÷ kept pairs.</param>
/// <param name="MultiDocumentTarget">The share asked for (null when not recorded).</param>
/// <param name="LengthBucketMix">Per bucket, the share of kept pairs whose document (total tokens) falls in it.</param>
/// <param name="LengthBucketTargets">The single-document mix pairing aimed for, normalized to shares.</param>
/// <param name="DocumentReuse">Documents by the number of kept pairs that use them (uses → documents).</param>
/// <param name="DistinctDocuments">Documents used by at least one kept pair.</param>
/// <param name="InstructionPlacement">Kept pairs by where the request sits relative to the documents.</param>
public sealed record MixReport(
    IReadOnlyList<MixRow> Rows,
    ReportMetric MultiDocumentShare,
    double? MultiDocumentTarget,
    IReadOnlyDictionary<string, ReportMetric> LengthBucketMix,
    IReadOnlyDictionary<string, double>? LengthBucketTargets,
    IReadOnlyDictionary<int, int> DocumentReuse,
    int DistinctDocuments,
    IReadOnlyDictionary<string, int> InstructionPlacement);
