using Microsoft.DurableTask;
using WildLong.Pipeline.Batches;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Stage 1 for one query shard, from inside the shard's own orchestration (<see cref="ExtractShardOrchestrator"/>,
/// started by a full run or by an upload): plan the shard, fan out its slices, merge its graph counts. Keeping all of
/// it in the shard's orchestration bounds every history: the run's holds two events per input, the shard's two per
/// fan-out group.
/// </summary>
public static class ExtractionSteps
{
    public static async Task<InputStepResult> ExtractShardAsync(TaskOrchestrationContext context, BlobRef shard, RunShape shape)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(shape);
        var retry = FanOut.ActivityRetry(shape.ActivityAttempts);
        var plan = await context.CallActivityAsync<InputBlobPlan>(nameof(PlanInputBlobActivity), new PlanInputBlobRequest(shard, InputKind.Queries), retry);
        var slices = Slice(plan, shape.QueryBatchSize);
        var extraction = await FanOutPublishingAsync(context, nameof(ExtractQueriesActivity), plan, slices, shape);
        WorkSummary merged;
        try
        {
            merged = await context.CallActivityAsync<WorkSummary>(nameof(MergeShardGraphActivity), new ShardMergeRequest(plan, slices.Count), retry);
        }
        catch (TaskFailedException ex)
        {
            // The shard's records are extracted but its graph contribution is not: its items count as failed and the
            // shard is left out of the inputs generation reads (a later run merges it again).
            var reason = $"{nameof(MergeShardGraphActivity)} failed for {shard}: {ex.FailureDetails.ErrorMessage}";
            return new InputStepResult((extraction with { Succeeded = 0, Rejected = extraction.Items, MultiDocument = 0 }) + WorkSummary.Failed(0, reason), []);
        }

        return new InputStepResult(extraction + (merged with { Items = 0, Succeeded = 0 }), [plan]);
    }

    public static List<WorkSlice> Slice(InputBlobPlan plan, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return WorkSlice.Cover(plan.Id, plan.Blob, plan.Version, plan.Items, batchSize);
    }

    /// <summary>
    /// Fans out one input's slices (online or batch mode) and publishes <see cref="InputProgress"/> as custom status
    /// after planning and after every finished piece, so a client following the run sees this input's total and
    /// progress before the input's orchestration ends.
    /// </summary>
    public static async Task<WorkSummary> FanOutPublishingAsync(
        TaskOrchestrationContext context, string activity, InputBlobPlan plan, IReadOnlyList<WorkSlice> slices, RunShape shape)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(plan);
        var done = WorkSummary.Empty;
        context.SetCustomStatus(new InputProgress(activity, plan.Items, done));
        return await BatchFanOut.RunAsync(context, activity, slices, shape, summary =>
        {
            done += summary with { Deferred = null };
            context.SetCustomStatus(new InputProgress(activity, plan.Items, done));
        });
    }
}
