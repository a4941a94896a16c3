namespace WildLong.Storage.Graphs;

/// <summary>
/// What merging one shard's counts did, so an activity can log and report it: how many entries its contribution
/// holds and how many bytes its blob has, whether the blob had to be uploaded (false when an identical one was
/// there: a repeated merge), how many blobs of other versions of the shard (and rows of a contribution in the earlier
/// table layout) it removed, and whether its version is the one readers now count (false only when a concurrent
/// merge of another version of the same shard recorded its version last).
/// </summary>
public sealed record GraphShardMergeResult(
    string ShardKey,
    string ShardId,
    string Version,
    IReadOnlyList<string> DocumentTypes,
    long RecordCount,
    long EntryCount,
    long BlobBytes,
    bool BlobWritten,
    long StaleDeleted,
    bool IsCurrent);
