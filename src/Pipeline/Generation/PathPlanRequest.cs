using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Generation;

/// <summary>Input of <see cref="PlanPathsActivity"/>: plan <paramref name="Wanted"/> paths in total for this round.</summary>
public sealed record PathPlanRequest(string RunId, RunSettings Settings, int Round, int Wanted, GraphSnapshot Snapshot);
