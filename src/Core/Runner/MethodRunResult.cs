using WildLong.Core.Common;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Model;
using WildLong.Core.MetaInfo;
using WildLong.Core.Reports;

namespace WildLong.Core.Runner;

/// <summary>
/// Everything one run produced, with the counts a manifest and a test need, the inputs that fed it and, when it kept
/// no pair, why.
/// </summary>
/// <param name="Records">The kept training records.</param>
/// <param name="Quarantined">Every rejected item with its stage and reason.</param>
/// <param name="Graphs">The finalized graphs paths were sampled from.</param>
/// <param name="Counts">Items seen and kept per stage.</param>
/// <param name="Usage">Tokens per stage.</param>
/// <param name="GraphReport">Recombination figures per type and the types that borrowed a graph (null when the host
/// did not compute them).</param>
/// <param name="Scope">The inputs that fed the run (see <see cref="RunScopeReport"/>).</param>
/// <param name="NoPairsReason">Why the run kept no pair, when it kept none.</param>
/// <param name="ReportInputs">What the dataset report needs beyond the pairs, quarantine and manifest (null when the
/// host did not collect it; the report then says which figures it lacks).</param>
public sealed record MethodRunResult(
    IReadOnlyList<TrainingRecord> Records,
    IReadOnlyList<QuarantineEntry> Quarantined,
    GraphSet Graphs,
    MethodRunCounts Counts,
    IReadOnlyDictionary<string, StageUsage> Usage,
    RunScopeReport? Scope = null,
    string? NoPairsReason = null,
    GraphReport? GraphReport = null,
    DatasetReportInputs? ReportInputs = null);

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
