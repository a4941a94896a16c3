using Microsoft.DurableTask;
using WildLong.Core;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Synthesis;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// A full run: extract the query shards (each shard's finished slices are found, not redone) while indexing the
/// corpus, one child orchestration per shard and per corpus file (<see cref="RunInputSteps"/>: each plans, fans out
/// and merges its own graph contribution), then generate and finalize one dataset from exactly the shards and corpora
/// that went through. The instance id is the run id, so starting the same run again resumes it.
/// </summary>
public sealed class RunOrchestrator : TaskOrchestrator<RunRequest, RunResult>
{
    public override async Task<RunResult> RunAsync(TaskOrchestrationContext context, RunRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        var containers = shape.Containers;
        var progress = new RunProgressTracker(context, input.RunId);
        progress.Begin(StageNames.Listing, 0);

        var retry = FanOut.ActivityRetry(shape.ActivityAttempts);
        var shards = await context.CallActivityAsync<IReadOnlyList<string>>(nameof(ListInputBlobsActivity), new BlobListRequest(containers.Queries, input.QueriesPrefix), retry);
        var corpora = await context.CallActivityAsync<IReadOnlyList<string>>(nameof(ListInputBlobsActivity), new BlobListRequest(containers.Documents, input.DocumentsPrefix), retry);
        if (shards.Count == 0 || corpora.Count == 0)
        {
            throw new InvalidOperationException(shards.Count == 0
                ? $"no query shards under '{containers.Queries}/{input.QueriesPrefix}'"
                : $"no corpus files under '{containers.Documents}/{input.DocumentsPrefix}'");
        }

        var (extracted, indexed) = await RunInputSteps.RunAsync(context,
            [.. shards.Select(s => new BlobRef(containers.Queries, s))], [.. corpora.Select(c => new BlobRef(containers.Documents, c))], shape, progress);
        if (extracted.Plans.Count == 0 || indexed.Plans.Count == 0)
        {
            var failed = extracted.Plans.Count == 0 ? extracted.Summary : indexed.Summary;
            throw new InvalidOperationException((extracted.Plans.Count == 0 ? "no query shard could be extracted" : "no corpus file could be indexed")
                + (failed.Failures is [var first, ..] ? ": " + first : string.Empty));
        }

        var totals = RunTotals.Empty with { Extraction = extracted.Summary, Indexing = indexed.Summary };
        return await GenerationSteps.GenerateAsync(context, input.RunId, input.Settings, input.Simulated, totals, shape, progress, new RunInputs(extracted.Plans, indexed.Plans), input.Fingerprint);
    }
}
