using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Input of <see cref="PlanPathsActivity"/>: plan <paramref name="Wanted"/> paths in total for this round, the new ones
/// multi-document in <paramref name="MultiDocumentShare"/> of cases (null: the run's target share).
/// </summary>
public sealed record PathPlanRequest(string RunId, RunSettings Settings, int Round, int Wanted, GraphSnapshot Snapshot, double? MultiDocumentShare = null);
