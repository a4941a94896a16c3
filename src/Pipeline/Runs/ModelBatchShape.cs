namespace WildLong.Pipeline.Runs;

/// <summary>
/// Batch mode as a run carries it (null in <see cref="RunShape.Batch"/>: online): how long the orchestration's
/// durable timer waits between looks at a running batch, and how many passes a stage fan-out makes before what is
/// still unanswered is quarantined. Fixed when the run starts, so every replay waits alike.
/// </summary>
public sealed record ModelBatchShape(TimeSpan PollInterval, int MaxPasses);
