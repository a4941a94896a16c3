using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>What the probe orchestrator saw: the summed summary and each summary the progress callback received.</summary>
public sealed record FanOutProbeResult(WorkSummary Total, IReadOnlyList<WorkSummary> Reported);
