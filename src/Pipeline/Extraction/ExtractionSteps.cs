using Microsoft.DurableTask;
using WildLong.Pipeline.Batches;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Stage 1 for a set of query shards, from inside an orchestrator: plan each shard, fan out its slices, merge its
/// graph counts. Shared by the full run and the per-shard orchestration a blob upload starts.
/// </summary>
public static class ExtractionSteps
{
    public static async Task<InputStepResult> ExtractShardsAsync(
        TaskOrchestrationContext context,
        IReadOnlyList<BlobRef> shards,
        RunShape shape,
        RunProgressTracker? progress)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(shape);
        var retry = FanOut.ActivityRetry(shape.ActivityAttempts);
        var plans = await Task.WhenAll(shards.Select(shard => context.CallActivityAsync<InputBlobPlan>(
            nameof(PlanInputBlobActivity), new PlanInputBlobRequest(shard, InputKind.Queries), retry)));
        progress?.Begin(RunStageNames.Extraction, plans.Sum(p => p.Items));

        var slicesByShard = plans.ToDictionary(p => p.Id, p => Slice(p, shape.QueryBatchSize), StringComparer.Ordinal);
        var extraction = await BatchFanOut.RunAsync(context, nameof(ExtractQueriesActivity), [.. slicesByShard.Values.SelectMany(s => s)],
            shape, s => progress?.Advance(RunStageNames.Extraction, s));

        progress?.Begin(RunStageNames.GraphMerge, plans.Length);
        var merged = WorkSummary.Empty;
        foreach (var plan in plans)
        {
            var summary = await context.CallActivityAsync<WorkSummary>(nameof(MergeShardGraphActivity), new ShardMergeRequest(plan, slicesByShard[plan.Id].Count), retry);
            merged += summary;
            progress?.Advance(RunStageNames.GraphMerge, summary with { Items = 1, Rejected = 0 });
        }

        return new InputStepResult(extraction + (merged with { Items = 0, Succeeded = 0 }), plans);
    }

    public static List<WorkSlice> Slice(InputBlobPlan plan, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return WorkSlice.Cover(plan.Id, plan.Blob, plan.Version, plan.Items, batchSize);
    }
}
