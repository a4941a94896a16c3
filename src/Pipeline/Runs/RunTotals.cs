using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Runs;

/// <summary>The summed summaries of a run's stages: what the manifest's counts, tokens and cost are made of.</summary>
public sealed record RunTotals(
    WorkSummary Extraction,
    WorkSummary Indexing,
    int MergedValues,
    int PathsSampled,
    WorkSummary Instructions,
    WorkSummary Pairing,
    WorkSummary Generation,
    int NearDuplicatesRemoved)
{
    public static RunTotals Empty { get; } = new(WorkSummary.Empty, WorkSummary.Empty, 0, 0, WorkSummary.Empty, WorkSummary.Empty, WorkSummary.Empty, 0);

    public WorkSummary All => Extraction + Indexing + Instructions + Pairing + Generation;
}
