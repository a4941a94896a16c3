namespace WildLong.Pipeline.Orchestration;

/// <summary>The input of <see cref="FanOutOrchestrator"/>: one activity name and the slices to run it over.</summary>
public sealed record FanOutRequest(string Activity, IReadOnlyList<WorkSlice> Slices);
