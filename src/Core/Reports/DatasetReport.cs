using WildLong.Core.Graphs;

namespace WildLong.Core.Reports;

/// <summary>
/// The dataset report (<c>report.json</c>; <c>report.html</c> draws it): what came in, what was dropped and why, what
/// the dataset covers, how the graphs recombine, how diverse, realistic and grounded the instructions and answers
/// are, what the judge thought, and what it cost. Built from a finished dataset folder by
/// <see cref="DatasetReportBuilder"/>; every figure follows docs/quality-metrics.md and carries its count.
/// </summary>
public sealed record DatasetReport(
    int Version,
    long Pairs,
    bool Simulated,
    string? NoPairsReason,
    IReadOnlyList<FunnelStep> Funnel,
    MixReport Mix,
    IReadOnlyList<GraphStatistics> Graphs,
    IReadOnlyList<GraphBorrowing> Borrowings,
    IReadOnlyList<GraphDrawing> Drawings,
    IReadOnlyList<FieldReport> Fields,
    DiversityReport Diversity,
    GroundingReport Grounding,
    JudgeReport Judge,
    SpendReport Spend,
    RunReport Run,
    int EmbeddingSampleSize)
{
    public const string JsonFileName = "report.json";

    public const string HtmlFileName = "report.html";

    public const int CurrentVersion = 1;
}
