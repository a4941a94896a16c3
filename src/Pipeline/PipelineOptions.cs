namespace WildLong.Pipeline;

/// <summary>
/// How the durable pipeline cuts work into orchestrations: how many activities one sub-orchestration fans out (keeps
/// each orchestration's history small), where activities cache downloaded shards, and activity retries. Batch sizes
/// (queries, documents, paths and pairs per activity) come from <c>WildLong:Run</c>, shared with the in-process runner.
/// </summary>
public sealed class PipelineOptions
{
    public const string SectionName = "WildLong:Pipeline";

    /// <summary>
    /// Activities per fan-out sub-orchestration (group); the parent starts as many groups as needed. A few hundred
    /// keeps the number of groups in any one history small (10,000 slices make 34 groups) while each group's own
    /// history stays around a thousand events (two per activity plus its episodes).
    /// </summary>
    public int ActivitiesPerSubOrchestration { get; set; } = 300;

    /// <summary>
    /// Attempts per activity before its slice is recorded as failed (the run continues without it); retries wait 5 s,
    /// doubling up to a minute.
    /// </summary>
    public int ActivityAttempts { get; set; } = 3;

    /// <summary>Folder where activities keep downloaded query shards (named by content hash, shared by activities).</summary>
    public string? ShardCacheDirectory { get; set; }

    /// <summary>Documents kept in memory by generation activities (texts are read from blobs once per process).</summary>
    public int DocumentTextCacheSize { get; set; } = 64;

    public void Validate()
    {
        if (ActivitiesPerSubOrchestration < 1)
        {
            throw new InvalidOperationException($"{SectionName}:ActivitiesPerSubOrchestration must be at least 1");
        }

        if (ActivityAttempts < 1)
        {
            throw new InvalidOperationException($"{SectionName}:ActivityAttempts must be at least 1");
        }
    }
}
