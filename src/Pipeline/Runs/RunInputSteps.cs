using Microsoft.DurableTask;
using WildLong.Core;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Indexing;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// The input stages of a run, from inside its orchestrator: one child orchestration per query shard
/// (<see cref="ExtractShardOrchestrator"/>) and per corpus file (<see cref="IndexCorpusOrchestrator"/>), all started at
/// once; each plans, fans out and (for a shard) merges its own graph contribution. The run itself does no per-input
/// step, so its history grows by two events per input whatever the inputs' sizes, and nothing in it is sequential per
/// shard. Progress advances as each child ends (a client adds running children's <see cref="InputProgress"/>).
/// </summary>
public static class RunInputSteps
{
    public static async Task<(InputStepResult Extracted, InputStepResult Indexed)> RunAsync(
        TaskOrchestrationContext context,
        IReadOnlyList<BlobRef> shards,
        IReadOnlyList<BlobRef> corpora,
        RunShape shape,
        RunProgressTracker? progress)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(corpora);
        ArgumentNullException.ThrowIfNull(shape);
        progress?.Begin(StageNames.GraphMerge, shards.Count);
        progress?.Begin(StageNames.IndexDocuments, 0);
        progress?.Begin(StageNames.MetaInfoExtraction, 0);

        var pending = new Dictionary<Task<InputStepResult>, (InputKind Kind, BlobRef Blob)>();
        foreach (var shard in shards)
        {
            pending[CallChildAsync(context, nameof(ExtractShardOrchestrator), InputKind.Queries, shard, shape)] = (InputKind.Queries, shard);
        }

        foreach (var corpus in corpora)
        {
            pending[CallChildAsync(context, nameof(IndexCorpusOrchestrator), InputKind.Documents, corpus, shape)] = (InputKind.Documents, corpus);
        }

        // Results are kept by input and summed in input order, so the plans generation reads do not depend on which child ended first.
        var results = new Dictionary<BlobRef, InputStepResult>();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Keys);
            var (kind, blob) = pending[done];
            pending.Remove(done);
            var result = await done;
            results[blob] = result;
            var stage = kind == InputKind.Queries ? StageNames.MetaInfoExtraction : StageNames.IndexDocuments;
            progress?.AddTotal(stage, result.Plans.Sum(p => p.Items));
            progress?.Advance(stage, result.Summary);
            if (kind == InputKind.Queries)
            {
                progress?.Advance(StageNames.GraphMerge, WorkSummary.Empty with { Items = 1, Rejected = result.Plans.Count == 0 ? 1 : 0 });
            }
        }

        return (Combine(shards, results), Combine(corpora, results));
    }

    private static InputStepResult Combine(IReadOnlyList<BlobRef> inputs, Dictionary<BlobRef, InputStepResult> results)
        => new(WorkSummary.Sum(inputs.Select(i => results[i].Summary)), [.. inputs.SelectMany(i => results[i].Plans)]);

    /// <summary>
    /// Runs one input's child under an id derived from the run's id and the input. A child that fails (its input
    /// could not be planned, or it crashed) counts as one failed input with the items it is known to have (none:
    /// the plan is what counts them) and leaves the input out of the run; the run goes on with the others.
    /// </summary>
    private static async Task<InputStepResult> CallChildAsync(TaskOrchestrationContext context, string orchestrator, InputKind kind, BlobRef blob, RunShape shape)
    {
        try
        {
            return await context.CallSubOrchestratorAsync<InputStepResult>(orchestrator, new InputBlobRequest(blob, shape),
                new SubOrchestrationOptions { InstanceId = FanOut.InputChildId(context.InstanceId, kind, blob) });
        }
        catch (TaskFailedException ex)
        {
            return new InputStepResult(WorkSummary.Failed(0, $"{orchestrator} failed for {blob}: {ex.FailureDetails.ErrorMessage}"), []);
        }
    }
}
