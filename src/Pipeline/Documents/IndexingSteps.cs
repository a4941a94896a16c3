using Microsoft.DurableTask;
using WildLong.Pipeline.Batches;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Documents;

/// <summary>Document indexing for a set of corpus files, from inside an orchestrator (full run or upload trigger).</summary>
public static class IndexingSteps
{
    public static async Task<InputStepResult> IndexCorporaAsync(
        TaskOrchestrationContext context,
        IReadOnlyList<BlobRef> corpora,
        RunShape shape,
        RunProgressTracker? progress)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(corpora);
        ArgumentNullException.ThrowIfNull(shape);
        var retry = FanOut.ActivityRetry(shape.ActivityAttempts);
        var plans = await Task.WhenAll(corpora.Select(corpus => context.CallActivityAsync<InputBlobPlan>(
            nameof(PlanInputBlobActivity), new PlanInputBlobRequest(corpus, InputKind.Documents), retry)));
        progress?.Begin(RunStageNames.Indexing, plans.Sum(p => p.Items));
        var slices = plans.SelectMany(p => ExtractionSteps.Slice(p, shape.DocumentBatchSize)).ToList();
        var summary = await BatchFanOut.RunAsync(context, nameof(IndexDocumentsActivity), slices, shape,
            s => progress?.Advance(RunStageNames.Indexing, s));
        return new InputStepResult(summary, plans);
    }
}
