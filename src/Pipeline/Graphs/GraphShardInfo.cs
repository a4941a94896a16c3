namespace WildLong.Pipeline.Graphs;

/// <summary>
/// One ledger row: which version of a shard's co-occurrence counts readers count, over which document types and how
/// many contribution rows it has (readers check that number, so a contribution that lost rows is detected).
/// </summary>
public sealed record GraphShardInfo(
    string ShardKey,
    string ShardId,
    string Version,
    IReadOnlyList<string> DocumentTypes,
    long RowCount,
    DateTimeOffset CompletedAt);
