using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Samples a round's instruction paths from the snapshot (the plan is prefix-stable, so a bigger plan in a later round
/// repeats the earlier paths first; those are dropped) and writes the new ones to a blob the round's slices read.
/// </summary>
public sealed class PlanPathsActivity(
    PipelineBlobStore blobs,
    RunDataCache cache,
    RunStageFactory stages,
    IOptions<SamplingOptions> sampling,
    IOptions<GraphOptions> graphOptions,
    ILogger<PlanPathsActivity> logger) : TaskActivity<PathPlanRequest, PathPlanSummary>
{
    public override async Task<PathPlanSummary> RunAsync(TaskActivityContext context, PathPlanRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(graphOptions);
        var cancellationToken = CancellationToken.None;
        var target = blobs.Layout.Paths(input.RunId, input.Round);
        if (await blobs.TryGetCompletedAsync<PathPlanSummary>(target, cancellationToken) is { } done)
        {
            return done;
        }

        var graphs = await cache.GraphsAsync(input.Snapshot.Blob, cancellationToken);
        var catalog = await cache.CatalogAsync(input.RunId, cancellationToken);
        var types = catalog.Select(d => d.DocumentType).ToHashSet(StringComparer.Ordinal);
        var run = stages.For(input.Settings);
        var multiDocumentTypes = run.Pairer.MultiDocumentTypes(catalog);
        var planner = new PathPlanner(sampling.Value, graphOptions.Value, logger);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 1; round < input.Round; round++)
        {
            foreach (var path in await blobs.ReadLinesAsync<InstructionPath>(blobs.Layout.Paths(input.RunId, round), cancellationToken))
            {
                seen.Add(path.Key);
            }
        }

        var examples = RequestExampleIndex.FromEntries(await cache.LinesAsync<RequestExample>(blobs.Layout.RunExamples(input.RunId), cancellationToken));
        var sampled = planner.PlanFresh(planner.Resolve(graphs, types), input.Wanted, input.Settings.Seed, seen, cancellationToken);
        var fresh = TaskKindPlanner.Assign(run.Options, sampled, input.MultiDocumentShare ?? run.Options.MultiDocumentShare, multiDocumentTypes)
            .Select(examples.Attach).ToList();
        var summary = new PathPlanSummary(
            fresh.Count,
            fresh.Count(p => p.PlannedKind is not TaskKind.SingleDocument),
            run.Options.MultiDocumentShare,
            graphs.Graphs.Any(g => g.NodeCount > 0 && multiDocumentTypes.Contains(g.DocumentType)));
        await blobs.WriteLinesAsync(target, fresh, summary, cancellationToken);
        return summary;
    }
}
