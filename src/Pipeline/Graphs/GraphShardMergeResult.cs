namespace WildLong.Pipeline.Graphs;

/// <summary>
/// What merging one shard's counts did, so an activity can log and report it: how many contribution rows it wrote,
/// how many rows of other versions of the shard it removed, and whether its version is the one readers now count
/// (false only when a concurrent merge of another version of the same shard recorded its version last).
/// </summary>
public sealed record GraphShardMergeResult(
    string ShardKey,
    string ShardId,
    string Version,
    IReadOnlyList<string> DocumentTypes,
    long RecordCount,
    long RowsWritten,
    long StaleRowsDeleted,
    bool IsCurrent);
