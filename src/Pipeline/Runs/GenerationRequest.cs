using WildLong.Core.Runner;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// Generation of one dataset. With <see cref="Inputs"/>, from exactly those shards' graph contributions and those
/// corpora's documents (a full run); without, from every shard merged and every document indexed in the account (the
/// HTTP "generate" endpoint and the scheduled regeneration).
/// </summary>
public sealed record GenerationRequest(string RunId, RunSettings Settings, RunShape Shape, bool Simulated = false, RunInputs? Inputs = null, RunFingerprint? Fingerprint = null);
