using WildLong.Core.Runner;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// A full run: the query shards under a prefix of the queries container and the corpus files under a prefix of the
/// documents container, turned into one dataset. Blob prefixes, not data: the orchestration input stays tiny.
/// <see cref="Fingerprint"/> is what the run id was derived from; it travels to the dataset's manifest.
/// </summary>
public sealed record RunRequest(string RunId, string QueriesPrefix, string DocumentsPrefix, RunSettings Settings, RunShape Shape, bool Simulated = false, RunFingerprint? Fingerprint = null);
