using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Pipeline.Batches;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Indexing;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;

namespace WildLong.Functions.Durable;

/// <summary>
/// One Functions entry point per activity of <see cref="WildLong.Pipeline.PipelineTasks.Activities"/>, named after its
/// class (orchestrators call activities by <c>nameof</c>). Each call builds the activity from the container (its
/// dependencies are singletons) and hands it a context carrying its name and the calling instance's id.
/// </summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    [Function(nameof(ListInputBlobsActivity))]
    public Task<IReadOnlyList<string>> ListInputBlobsActivity([ActivityTrigger] BlobListRequest input, FunctionContext context)
        => RunAsync<ListInputBlobsActivity, BlobListRequest, IReadOnlyList<string>>(input, context);

    [Function(nameof(PlanInputBlobActivity))]
    public Task<InputBlobPlan> PlanInputBlobActivity([ActivityTrigger] PlanInputBlobRequest input, FunctionContext context)
        => RunAsync<PlanInputBlobActivity, PlanInputBlobRequest, InputBlobPlan>(input, context);

    [Function(nameof(ExtractQueriesActivity))]
    public Task<WorkSummary> ExtractQueriesActivity([ActivityTrigger] WorkSlice input, FunctionContext context)
        => RunAsync<ExtractQueriesActivity, WorkSlice, WorkSummary>(input, context);

    [Function(nameof(MergeShardGraphActivity))]
    public Task<WorkSummary> MergeShardGraphActivity([ActivityTrigger] ShardMergeRequest input, FunctionContext context)
        => RunAsync<MergeShardGraphActivity, ShardMergeRequest, WorkSummary>(input, context);

    [Function(nameof(IndexDocumentsActivity))]
    public Task<WorkSummary> IndexDocumentsActivity([ActivityTrigger] WorkSlice input, FunctionContext context)
        => RunAsync<IndexDocumentsActivity, WorkSlice, WorkSummary>(input, context);

    [Function(nameof(BuildGraphSnapshotActivity))]
    public Task<GraphSnapshot> BuildGraphSnapshotActivity([ActivityTrigger] GenerationRequest input, FunctionContext context)
        => RunAsync<BuildGraphSnapshotActivity, GenerationRequest, GraphSnapshot>(input, context);

    [Function(nameof(PlanPathsActivity))]
    public Task<PathPlanSummary> PlanPathsActivity([ActivityTrigger] PathPlanRequest input, FunctionContext context)
        => RunAsync<PlanPathsActivity, PathPlanRequest, PathPlanSummary>(input, context);

    [Function(nameof(WriteInstructionsActivity))]
    public Task<WorkSummary> WriteInstructionsActivity([ActivityTrigger] WorkSlice input, FunctionContext context)
        => RunAsync<WriteInstructionsActivity, WorkSlice, WorkSummary>(input, context);

    [Function(nameof(PairInstructionsActivity))]
    public Task<WorkSummary> PairInstructionsActivity([ActivityTrigger] RoundRequest input, FunctionContext context)
        => RunAsync<PairInstructionsActivity, RoundRequest, WorkSummary>(input, context);

    [Function(nameof(GeneratePairsActivity))]
    public Task<WorkSummary> GeneratePairsActivity([ActivityTrigger] WorkSlice input, FunctionContext context)
        => RunAsync<GeneratePairsActivity, WorkSlice, WorkSummary>(input, context);

    [Function(nameof(DeduplicatePairsActivity))]
    public Task<WorkSummary> DeduplicatePairsActivity([ActivityTrigger] RoundRequest input, FunctionContext context)
        => RunAsync<DeduplicatePairsActivity, RoundRequest, WorkSummary>(input, context);

    [Function(nameof(FinalizeDatasetActivity))]
    public Task<RunResult> FinalizeDatasetActivity([ActivityTrigger] FinalizeRequest input, FunctionContext context)
        => RunAsync<FinalizeDatasetActivity, FinalizeRequest, RunResult>(input, context);

    [Function(nameof(ModelBatchActivity))]
    public Task<ModelBatchResult> ModelBatchActivity([ActivityTrigger] ModelBatchRequest input, FunctionContext context)
        => RunAsync<ModelBatchActivity, ModelBatchRequest, ModelBatchResult>(input, context);

    /// <summary>The id of the orchestration that called the activity (binding data "instanceId"), or empty when absent.</summary>
    internal static string InstanceIdOf(FunctionContext context)
        => context.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id is not null
            ? id.ToString()!.Trim('"')
            : string.Empty;

    private Task<TOutput> RunAsync<TActivity, TInput, TOutput>(TInput input, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var activity = ActivatorUtilities.CreateInstance<TActivity>(services);
        return activity.RunAsync(new FunctionActivityContext(new TaskName(typeof(TActivity).Name), InstanceIdOf(context)), input);
    }
}
