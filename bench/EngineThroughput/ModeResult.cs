namespace WildLong.Bench.EngineThroughput;

/// <summary>
/// One timed run of one mode: wall time, the counts that make up "items" (reported separately so modes can be
/// compared item for item), model calls seen by that mode's own simulator, and a rough profile of where time went.
/// <paramref name="StorageRequests"/>: storage requests sent by the bench process while the run was timed, by service
/// (durable modes; see <see cref="StorageRequestCounter"/>). <paramref name="AzuriteTableFileBytes"/>: the size of
/// Azurite's table database file when the run ended (what Azurite re-serializes every few seconds).
/// </summary>
public sealed record ModeResult(
    string Mode,
    int Attempt,
    double Seconds,
    int Queries,
    int Documents,
    int Paths,
    int PairsPlanned,
    int PairsKept,
    long ModelCalls,
    double BenchCpuSeconds,
    double? AzuriteCpuSeconds,
    double? UploadSeconds,
    HistoryProfile? History,
    IReadOnlyDictionary<string, long> CallsByStage,
    int MetaInfoRecords,
    int Instructions,
    IReadOnlyDictionary<string, long>? StorageRequests,
    long? AzuriteTableFileBytes = null)
{
    /// <summary>Bench process CPU plus Azurite's (when there is one) while the run was timed.</summary>
    public double CpuSeconds => BenchCpuSeconds + (AzuriteCpuSeconds ?? 0);

    public long? StorageRequestTotal => StorageRequests?.Values.Sum();

    /// <summary>Queries processed + documents indexed + paths sampled + pairs planned.</summary>
    public int Items => Queries + Documents + Paths + PairsPlanned;

    public double ItemsPerSecond => Items / Seconds;
}
