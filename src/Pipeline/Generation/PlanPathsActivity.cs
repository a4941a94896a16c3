using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Graphs;
using WildLong.Core.Llm;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Generation;

/// <summary>
/// Samples a round's instruction paths from the snapshot (the plan is prefix-stable, so a bigger plan in a later round
/// repeats the earlier paths first; those are dropped) and writes the new ones to a blob the round's slices read.
/// </summary>
public sealed class PlanPathsActivity(
    PipelineBlobStore blobs,
    RunDataCache cache,
    IOptions<SamplingOptions> sampling,
    IOptions<GraphOptions> graphOptions,
    ILogger<PlanPathsActivity> logger) : TaskActivity<PathPlanRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, PathPlanRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(graphOptions);
        var cancellationToken = CancellationToken.None;
        var target = blobs.Layout.Paths(input.RunId, input.Round);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(target, cancellationToken) is { } done)
        {
            return done;
        }

        var graphs = await cache.GraphsAsync(input.Snapshot.Blob, cancellationToken);
        var types = (await cache.CatalogAsync(input.RunId, cancellationToken)).Select(d => d.DocumentType).ToHashSet(StringComparer.Ordinal);
        var planner = new PathPlanner(sampling.Value, graphOptions.Value.Weighting, logger);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 1; round < input.Round; round++)
        {
            foreach (var path in await blobs.ReadLinesAsync<InstructionPath>(blobs.Layout.Paths(input.RunId, round), cancellationToken))
            {
                seen.Add(path.Key);
            }
        }

        var fresh = planner.PlanFresh(graphs, types, input.Wanted, input.Settings.Seed, seen, cancellationToken);
        var summary = new WorkSummary(fresh.Count, fresh.Count, 0, new Dictionary<string, StageUsage>(), 0m);
        await blobs.WriteLinesAsync(target, fresh, summary, cancellationToken);
        return summary;
    }
}
