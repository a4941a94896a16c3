using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>Input of the per-round steps that gather a fan-out's outputs: which round and how many slices it had.</summary>
public sealed record RoundRequest(string RunId, RunSettings Settings, int Round, int Slices);
