using WildLong.Core.MetaInfo;

namespace WildLong.Core.Graphs;

/// <summary>
/// What <see cref="GraphFinalizer"/> made of a run's counts: the graphs to sample, the value merges it applied and
/// the document type each original type was folded into, and the largest merges per field (for the manifest).
/// </summary>
public sealed record FinalizedGraphs(
    GraphSet Graphs,
    ValueMergeMap Merges,
    IReadOnlyDictionary<string, string> TypeFold,
    IReadOnlyDictionary<string, IReadOnlyList<ValueMerge>> TopMerges);
