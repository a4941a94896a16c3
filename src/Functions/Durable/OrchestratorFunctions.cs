using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Indexing;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;

namespace WildLong.Functions.Durable;

/// <summary>
/// One Functions entry point per orchestrator of <see cref="WildLong.Pipeline.PipelineTasks.Orchestrators"/>, named
/// after its class (orchestrators call each other by <c>nameof</c>). The Durable source generator is not used, so these
/// wrappers are written by hand; a test fails when one is missing or misnamed. Each replay builds the orchestrator
/// from the container (it only holds options) and runs it on the orchestration's input.
/// </summary>
public sealed class OrchestratorFunctions(IServiceProvider services)
{
    [Function(nameof(RunOrchestrator))]
    public Task<RunResult> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
        => RunAsync<RunOrchestrator, RunRequest, RunResult>(context);

    [Function(nameof(GenerateDatasetOrchestrator))]
    public Task<RunResult> GenerateDatasetOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
        => RunAsync<GenerateDatasetOrchestrator, GenerationRequest, RunResult>(context);

    [Function(nameof(ExtractShardOrchestrator))]
    public Task<InputStepResult> ExtractShardOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
        => RunAsync<ExtractShardOrchestrator, InputBlobRequest, InputStepResult>(context);

    [Function(nameof(IndexCorpusOrchestrator))]
    public Task<InputStepResult> IndexCorpusOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
        => RunAsync<IndexCorpusOrchestrator, InputBlobRequest, InputStepResult>(context);

    [Function(nameof(FanOutOrchestrator))]
    public Task<WorkSummary> FanOutOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
        => RunAsync<FanOutOrchestrator, FanOutRequest, WorkSummary>(context);

    private Task<TOutput> RunAsync<TOrchestrator, TInput, TOutput>(TaskOrchestrationContext context)
        where TOrchestrator : TaskOrchestrator<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<TInput>()
            ?? throw new InvalidOperationException($"{typeof(TOrchestrator).Name} instance '{context.InstanceId}' was started without an input.");
        return ActivatorUtilities.CreateInstance<TOrchestrator>(services).RunAsync(context, input);
    }
}
