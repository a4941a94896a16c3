using WildLong.Core.Common;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Llm;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Pipeline;

/// <summary>Everything one in-process run produced, with the counts a manifest and a test need.</summary>
public sealed record MethodRunResult(
    IReadOnlyList<TrainingRecord> Records,
    IReadOnlyList<QuarantineEntry> Quarantined,
    GraphSet Graphs,
    MethodRunCounts Counts,
    IReadOnlyDictionary<string, StageUsage> Usage);

/// <summary>
/// How many items each stage saw and kept. <see cref="MergedValues"/> counts values folded into another one by
/// near-duplicate merging (including rare <c>other: …</c> values folded into <c>other</c> and recurring ones promoted);
/// <see cref="TopMerges"/> shows the largest merges per field (written to the manifest as <c>top_merges</c>).
/// </summary>
public sealed record MethodRunCounts(
    int QueriesRead,
    int QueriesFiltered,
    int MetaInfoRecords,
    int MergedValues,
    int DocumentsIndexed,
    int PathsSampled,
    int Instructions,
    int PairsPlanned,
    int PairsGenerated,
    int PairsRejected,
    int NearDuplicatesRemoved,
    int PairsKept,
    IReadOnlyDictionary<string, int> QuarantinedByStage,
    IReadOnlyDictionary<string, IReadOnlyList<ValueMerge>>? TopMerges = null);
