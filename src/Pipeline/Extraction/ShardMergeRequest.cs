namespace WildLong.Pipeline.Extraction;

/// <summary>Input of <see cref="MergeShardGraphActivity"/>: a planned shard and how many extraction slices it had.</summary>
public sealed record ShardMergeRequest(InputBlobPlan Shard, int Slices);
