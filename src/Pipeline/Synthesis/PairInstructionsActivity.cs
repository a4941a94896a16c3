using Microsoft.DurableTask;
using WildLong.Core;
using WildLong.Core.Generation;
using WildLong.Core.Instructions;
using WildLong.Core.Model;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Gathers a round's instructions, drops near-duplicates of each other and of earlier rounds' instructions, and pairs
/// the survivors with indexed documents (length mix, multi-document groups). One activity per round because pairing
/// and deduplication look at the whole round; the plan it writes is grouped by document for the generation slices.
/// </summary>
public sealed class PairInstructionsActivity(PipelineBlobStore blobs, RunDataCache cache, RunStageFactory stages) : TaskActivity<RoundRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, RoundRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var target = blobs.Layout.PlannedPairs(input.RunId, input.Round);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(target, cancellationToken) is { } done)
        {
            return done;
        }

        var run = stages.For(input.Settings);
        var written = new List<AgnosticInstruction>();
        for (var index = 0; index < input.Slices; index++)
        {
            written.AddRange(await blobs.ReadLinesAsync<AgnosticInstruction>(blobs.Layout.Instructions(input.RunId, input.Round, index), cancellationToken));
        }

        var earlier = new List<AgnosticInstruction>();
        for (var round = 1; round < input.Round; round++)
        {
            earlier.AddRange(await blobs.ReadLinesAsync<AgnosticInstruction>(blobs.Layout.DistinctInstructions(input.RunId, round), cancellationToken));
        }

        var distinct = await NearDuplicateFilter.KeepNewAsync(earlier, written, run.Deduplicator.FilterInstructionsAsync, cancellationToken);
        var fresh = distinct.Items;
        var quarantine = distinct.Quarantined.ToList();

        // Only the kept pairs' meta-information: their messages hold their documents.
        var keptBefore = input.Round > 1
            ? await TrainingRecordHeader.ReadAsync(blobs, blobs.Layout.KeptPairs(input.RunId, input.Round - 1), cancellationToken)
            : [];
        var planned = await run.Pairer.PairAsync(fresh, await cache.CatalogAsync(input.RunId, cancellationToken), cancellationToken, DocumentPairer.KeptSingleDocumentBuckets(keptBefore));
        quarantine.AddRange(planned.Quarantined);
        var summary = new WorkSummary(written.Count, planned.Items.Count, quarantine.Count, new Dictionary<string, StageUsage>(), 0m);
        await blobs.WriteLinesAsync(blobs.Layout.DistinctInstructions(input.RunId, input.Round), fresh, summary, cancellationToken);
        await blobs.WriteLinesAsync(blobs.Layout.RunQuarantine(input.RunId, StageNames.Pairing, input.Round, 0), quarantine, summary, cancellationToken);
        await blobs.WriteLinesAsync(target, planned.Items, summary, cancellationToken);
        return summary;
    }
}
