namespace WildLong.Core.Reports;

/// <summary>The quality judge's scores of kept and of rejected pairs, and the near-duplicates removed.</summary>
/// <param name="KeptScores">Kept pairs by judge score.</param>
/// <param name="RejectedScores">Pairs the judge rejected, by score (from the quarantine's detail).</param>
/// <param name="RejectedWithoutScore">Judge rejections whose quarantine entry holds no score.</param>
/// <param name="MeanKeptScore">Mean score of the kept pairs.</param>
/// <param name="MeanRejectedScore">Mean score of the rejected pairs that carry one.</param>
/// <param name="NearDuplicatesRemoved">Instructions and pairs removed as near-duplicates.</param>
public sealed record JudgeReport(
    IReadOnlyDictionary<int, long> KeptScores,
    IReadOnlyDictionary<int, long> RejectedScores,
    long RejectedWithoutScore,
    ReportMetric MeanKeptScore,
    ReportMetric MeanRejectedScore,
    long NearDuplicatesRemoved);
