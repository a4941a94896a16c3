using Microsoft.DurableTask;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Stage 1 for one query shard: what a shard landing in the queries container starts (its instance id comes from the
/// blob's name and content, so a duplicate upload event starts nothing new).
/// </summary>
public sealed class ExtractShardOrchestrator : TaskOrchestrator<InputBlobRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskOrchestrationContext context, InputBlobRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (await ExtractionSteps.ExtractShardsAsync(context, [input.Blob], input.Shape, progress: null)).Summary;
    }
}
