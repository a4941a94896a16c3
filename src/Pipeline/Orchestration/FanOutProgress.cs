namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// The custom status of a running <see cref="FanOutOrchestrator"/> group: its parent learns of the group's work only
/// when the whole group ends, so a client adds running groups' progress to the parent's to show live counts.
/// </summary>
public sealed record FanOutProgress(string Activity, int Slices, int SlicesDone, WorkSummary Done);
