using Microsoft.DurableTask;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Indexing;

/// <summary>
/// Document indexing for one corpus file, from inside the file's own orchestration (<see cref="IndexCorpusOrchestrator"/>,
/// started by a full run or by an upload): plan it and fan out its slices.
/// </summary>
public static class IndexingSteps
{
    public static async Task<InputStepResult> IndexCorpusAsync(TaskOrchestrationContext context, BlobRef corpus, RunShape shape)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(shape);
        var retry = FanOut.ActivityRetry(shape.ActivityAttempts);
        var plan = await context.CallActivityAsync<InputBlobPlan>(nameof(PlanInputBlobActivity), new PlanInputBlobRequest(corpus, InputKind.Documents), retry);
        var slices = ExtractionSteps.Slice(plan, shape.DocumentBatchSize);
        var summary = await ExtractionSteps.FanOutPublishingAsync(context, nameof(IndexDocumentsActivity), plan, slices, shape);
        return new InputStepResult(summary, [plan]);
    }
}
