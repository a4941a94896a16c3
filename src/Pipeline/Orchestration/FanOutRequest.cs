namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// The input of <see cref="FanOutOrchestrator"/>: one activity name, the slices to run it over, and the attempts per
/// slice the parent was configured with (carried, so a big fan-out retries exactly like a small one).
/// </summary>
public sealed record FanOutRequest(string Activity, IReadOnlyList<WorkSlice> Slices, int Attempts = FanOut.DefaultAttempts);
