using Microsoft.DurableTask;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Generates a dataset from every graph contribution merged and every document indexed in the account (the explicit
/// accumulating mode, <see cref="GenerationRequest.Inputs"/> null, or the inputs it names): what the HTTP "generate"
/// endpoint and scheduled regeneration start, without re-reading any query shard.
/// </summary>
public sealed class GenerateDatasetOrchestrator : TaskOrchestrator<GenerationRequest, RunResult>
{
    public override Task<RunResult> RunAsync(TaskOrchestrationContext context, GenerationRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var progress = new RunProgressTracker(context, input.RunId);
        return GenerationSteps.GenerateAsync(context, input.RunId, input.Settings, input.Simulated, RunTotals.Empty, input.Shape, progress, input.Inputs, input.Fingerprint);
    }
}
