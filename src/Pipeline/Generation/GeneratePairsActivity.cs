using Microsoft.DurableTask;
using WildLong.Core.Generation;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Generation;

/// <summary>
/// Stage 2 for one slice of a round's plan: adapt each instruction to its documents, answer from them, judge, and
/// write the pairs that pass (and every rejection with its reason). Slices follow the plan's document grouping, so
/// the calls about one document run together and share the model's prompt cache.
/// </summary>
public sealed class GeneratePairsActivity(
    PipelineBlobStore blobs,
    RunDataCache cache,
    RunStageFactory stages,
    CostCalculator costs) : TaskActivity<WorkSlice, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, WorkSlice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var target = blobs.Layout.GeneratedPairs(input.Scope, input.Round, input.Index);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(target, cancellationToken) is { } done)
        {
            return done;
        }

        var planned = (await cache.LinesAsync<PlannedPair>(input.Source, cancellationToken)).Skip(input.Start).Take(input.Count).ToList();
        var loaded = new List<LoadedPair>(planned.Count);
        foreach (var pair in planned)
        {
            var documents = new List<Core.Documents.LongDocument>(pair.Documents.Count);
            foreach (var document in pair.Documents)
            {
                documents.Add(await cache.DocumentAsync(document.Id, cancellationToken));
            }

            loaded.Add(new LoadedPair(pair, documents));
        }

        using var usage = new ActivityUsage(costs);
        var generated = await stages.For(input.Settings!).Generator.GenerateAsync(loaded, cancellationToken);
        var summary = usage.Summarize(planned.Count, generated.Items.Count, generated.Quarantined.Count);
        await blobs.WriteLinesAsync(blobs.Layout.RunQuarantine(input.Scope, "generation", input.Round, input.Index), generated.Quarantined, summary, cancellationToken);
        await blobs.WriteLinesAsync(target, generated.Items, summary, cancellationToken);
        return summary;
    }
}
