namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Output of <see cref="PlanPathsActivity"/>: the round's new paths and, of them, the multi-document ones, plus the
/// run's target multi-document share and whether any planned type can hold a multi-document task, which the round
/// policy (<see cref="Core.Runner.RoundPlanner"/>) needs and only an activity (it reads configuration and the
/// catalog) can know.
/// </summary>
public sealed record PathPlanSummary(int Fresh, int MultiDocument, double TargetShare, bool MultiDocumentPossible);
