using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>
/// Input of the probe orchestrator that calls <see cref="FanOut.RunAsync"/> the way the pipeline's orchestrators do
/// (the helper is not an orchestrator itself, so a test needs one around it).
/// </summary>
public sealed record FanOutProbe(string Activity, IReadOnlyList<WorkSlice> Slices, int PerSubOrchestration, int Attempts);
