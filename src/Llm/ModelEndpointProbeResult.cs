namespace WildLong.Llm;

/// <summary>What <see cref="ModelEndpointProbe"/> found: whether anything answered, whether it was the simulator, and why not.</summary>
public sealed record ModelEndpointProbeResult(bool Reachable, bool IsSimulator, string? Error);
