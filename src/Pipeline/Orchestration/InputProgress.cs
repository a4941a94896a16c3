namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// The custom status of a running per-input child (<see cref="Extraction.ExtractShardOrchestrator"/>,
/// <see cref="Indexing.IndexCorpusOrchestrator"/>): the items it planned (its parent adds them to the stage's total
/// only when the child ends, so a client adds running children's plans to show the real total) and the summed work of
/// its fan-out pieces that have ended. Work of its groups still running is in their own <see cref="FanOutProgress"/>.
/// </summary>
public sealed record InputProgress(string Activity, int Planned, WorkSummary Done);
