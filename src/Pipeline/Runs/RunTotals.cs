using WildLong.Core.MetaInfo;
using WildLong.Core.Runner;
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

    /// <summary>
    /// The counts of the manifest (and of the run's summary table), from these totals, the pairs the dataset kept and
    /// the quarantine's entries per stage — the same shape the in-process runner reports.
    /// </summary>
    public MethodRunCounts ToCounts(int pairsKept, IReadOnlyDictionary<string, int> quarantinedByStage, IReadOnlyDictionary<string, IReadOnlyList<ValueMerge>>? topMerges = null)
        => new(
            Extraction.Items, Extraction.Items - Extraction.Succeeded - Extraction.Rejected, Extraction.Succeeded, MergedValues,
            Indexing.Succeeded, PathsSampled, Instructions.Succeeded, Pairing.Succeeded, Generation.Succeeded, Generation.Rejected,
            NearDuplicatesRemoved, pairsKept, quarantinedByStage, topMerges);
}
