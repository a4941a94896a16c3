using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;
using WildLong.Core.Model;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;
using WildLong.Storage.Graphs;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Builds one shard's co-occurrence counts from its extracted records and merges them as that shard's contribution
/// (one blob, committed by the shard's ledger row) (see <see cref="GraphCountStore"/>: exact and idempotent, whatever the order, concurrency or
/// repetition of merges). A shard with failed slices merges what it has under a distinct version, so completing it
/// later replaces the partial contribution instead of adding to it.
/// </summary>
public sealed class MergeShardGraphActivity(
    PipelineBlobStore blobs,
    GraphCountStore graphs,
    MetaInfoSchema schema,
    IOptions<GraphOptions> graphOptions) : TaskActivity<ShardMergeRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, ShardMergeRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(graphOptions);
        var cancellationToken = CancellationToken.None;
        var shard = input.Shard;
        var records = new List<MetaInfoRecord>();
        var missing = 0;
        for (var index = 0; index < input.Slices; index++)
        {
            var batch = blobs.Layout.ExtractionBatch(shard.Id, shard.Version, index);
            if (await blobs.TryGetCompletedAsync<WorkSummary>(batch, cancellationToken) is null)
            {
                missing++;
                continue;
            }

            records.AddRange(await blobs.ReadLinesAsync<MetaInfoRecord>(batch, cancellationToken));
        }

        var counts = GraphSet.Build(records, graphOptions.Value.Excluding(schema.NonGraphFields));
        var version = missing == 0 ? shard.Version : $"{shard.Version}-partial-{input.Slices - missing}";
        await graphs.MergeShardAsync(shard.Blob.ToString(), version, counts, cancellationToken);
        return new WorkSummary(records.Count, records.Count, 0, new Dictionary<string, StageUsage>(), 0m, missing,
            missing == 0 ? null : [$"{shard.Blob}: {missing} of {input.Slices} extraction slices missing; merged the rest"]);
    }
}
