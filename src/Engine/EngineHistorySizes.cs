using WildLong.Engine.Hosting;

namespace WildLong.Engine;

/// <summary>
/// How many history events each orchestration instance this process ran holds, as of its last committed episode
/// (every episode replays that many): what tests and benchmarks read to show that a layout of orchestrations keeps
/// histories bounded. Works on every backend, the in-memory one included, which cannot return histories itself.
/// Resolve it from the services of a host built with <c>AddWildLongEngine</c>.
/// </summary>
public sealed class EngineHistorySizes
{
    private readonly EngineSidecar sidecar;

    internal EngineHistorySizes(EngineSidecar sidecar) => this.sidecar = sidecar;

    /// <summary>A copy of the counts per instance id (instances other processes ran are not in it).</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(sidecar.HistoryEvents, StringComparer.Ordinal);
}
