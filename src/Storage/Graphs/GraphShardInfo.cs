namespace WildLong.Storage.Graphs;

/// <summary>
/// One ledger row: which version of a shard's co-occurrence counts readers count, over which document types, how
/// many entries it has (record-count entries, nodes, edges, shape bins, record signatures) and the SHA-256 of its
/// contribution blob (readers check it, so a contribution that was truncated, replaced or lost is detected).
/// <see cref="ContentSha256"/> is null for a contribution stored in the earlier one-row-per-entry table layout,
/// where <see cref="EntryCount"/> is its row count.
/// </summary>
public sealed record GraphShardInfo(
    string ShardKey,
    string ShardId,
    string Version,
    IReadOnlyList<string> DocumentTypes,
    long EntryCount,
    DateTimeOffset CompletedAt,
    string? ContentSha256 = null);
