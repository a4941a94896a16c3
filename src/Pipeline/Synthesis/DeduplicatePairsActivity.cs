using Microsoft.DurableTask;
using WildLong.Core;
using WildLong.Core.Generation;
using WildLong.Core.Model;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Adds a round's generated pairs to the pairs kept so far, dropping near-duplicates (earlier pairs always win, so a
/// later round never displaces what an earlier one kept). Writes the cumulative kept list for the round.
/// </summary>
public sealed class DeduplicatePairsActivity(PipelineBlobStore blobs, RunStageFactory stages) : TaskActivity<RoundRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, RoundRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var target = blobs.Layout.KeptPairs(input.RunId, input.Round);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(target, cancellationToken) is { } done)
        {
            return done;
        }

        var earlier = input.Round > 1 ? await blobs.ReadLinesAsync<TrainingRecord>(blobs.Layout.KeptPairs(input.RunId, input.Round - 1), cancellationToken) : [];
        var generated = new List<TrainingRecord>();
        for (var index = 0; index < input.Slices; index++)
        {
            generated.AddRange(await blobs.ReadLinesAsync<TrainingRecord>(blobs.Layout.GeneratedPairs(input.RunId, input.Round, index), cancellationToken));
        }

        var distinct = await NearDuplicateFilter.KeepNewAsync(earlier, generated, stages.For(input.Settings).Deduplicator.FilterAsync, cancellationToken);
        var fresh = distinct.Items;
        var duplicates = distinct.Quarantined;
        var kept = earlier.Concat(fresh).ToList();
        var summary = new WorkSummary(generated.Count, kept.Count, generated.Count - fresh.Count, new Dictionary<string, StageUsage>(), 0m,
            MultiDocument: kept.Count(r => r.Meta.TaskKind != TaskKind.SingleDocument));
        await blobs.WriteLinesAsync(blobs.Layout.RunQuarantine(input.RunId, StageNames.NearDuplicateFilter, input.Round, 0), duplicates, summary, cancellationToken);
        await blobs.WriteLinesAsync(target, kept, summary, cancellationToken);
        return summary;
    }
}
