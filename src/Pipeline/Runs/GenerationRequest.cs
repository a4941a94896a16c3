using WildLong.Core.Pipeline;

namespace WildLong.Pipeline.Runs;

/// <summary>Generation only, from the graphs already merged in Table Storage and the documents already indexed.</summary>
public sealed record GenerationRequest(string RunId, RunSettings Settings, RunShape Shape, bool Simulated = false, RunFingerprint? Fingerprint = null);
