using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using WildLong.Core.Pipeline;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Runs;
using WildLong.Storage;

namespace WildLong.Pipeline.Generation;

/// <summary>
/// Generates a dataset from the graphs already merged and the documents already indexed: what the HTTP "generate"
/// endpoint and scheduled regeneration start, without re-reading any query shard.
/// </summary>
public sealed class GenerateDatasetOrchestrator(
    IOptions<PipelineOptions> options,
    IOptions<MethodRunOptions> runOptions,
    IOptions<StorageOptions> storage) : TaskOrchestrator<GenerationRequest, RunResult>
{
    public override Task<RunResult> RunAsync(TaskOrchestrationContext context, GenerationRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runOptions);
        ArgumentNullException.ThrowIfNull(storage);
        var progress = new RunProgressTracker(context, input.RunId);
        return GenerationSteps.GenerateAsync(context, input.RunId, input.Settings, input.Simulated, RunTotals.Empty, runOptions.Value, options.Value,
            new BlobLayout(storage.Value.Containers), progress);
    }
}
