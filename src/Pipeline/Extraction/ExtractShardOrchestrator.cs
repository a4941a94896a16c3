using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using WildLong.Core.Pipeline;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Stage 1 for one query shard: what a shard landing in the queries container starts (its instance id comes from the
/// blob's name and content, so a duplicate upload event starts nothing new).
/// </summary>
public sealed class ExtractShardOrchestrator(IOptions<PipelineOptions> options, IOptions<MethodRunOptions> runOptions) : TaskOrchestrator<BlobRef, WorkSummary>
{
    public override Task<WorkSummary> RunAsync(TaskOrchestrationContext context, BlobRef input)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runOptions);
        return ExtractionSteps.ExtractShardsAsync(context, [input], runOptions.Value.QueryBatchSize, options.Value, progress: null);
    }
}
