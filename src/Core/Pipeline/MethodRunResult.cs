using WildLong.Core.Common;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Llm;

namespace WildLong.Core.Pipeline;

/// <summary>
/// Everything one run produced, with the counts a manifest and a test need, the inputs that fed it and, when it kept
/// no pair, why.
/// </summary>
public sealed record MethodRunResult(
    IReadOnlyList<TrainingRecord> Records,
    IReadOnlyList<QuarantineEntry> Quarantined,
    GraphSet Graphs,
    MethodRunCounts Counts,
    IReadOnlyDictionary<string, StageUsage> Usage,
    RunScopeReport? Scope = null,
    string? NoPairsReason = null);

/// <summary>How many items each stage saw and kept.</summary>
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
    IReadOnlyDictionary<string, int> QuarantinedByStage);
