using Microsoft.DurableTask;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Stage 1 for one query shard — plan, fan out, merge its graph contribution — returning the work done and the plan
/// read (none when the merge failed). Started by a full run for each of its shards (instance id from the run's id and
/// the shard, <see cref="Orchestration.FanOut.InputChildId"/>) and by a shard landing in the queries container
/// (instance id from the blob's name and content, so a duplicate upload event starts nothing new).
/// </summary>
public sealed class ExtractShardOrchestrator : TaskOrchestrator<InputBlobRequest, InputStepResult>
{
    public override Task<InputStepResult> RunAsync(TaskOrchestrationContext context, InputBlobRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ExtractionSteps.ExtractShardAsync(context, input.Blob, input.Shape);
    }
}
