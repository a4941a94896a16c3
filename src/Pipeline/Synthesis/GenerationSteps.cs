using Microsoft.DurableTask;
using WildLong.Core;
using WildLong.Core.Runner;
using WildLong.Pipeline.Batches;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// The generation rounds from inside an orchestrator — the end of stage 1 (paths → instructions) and all of stage 2
/// after indexing (pairing, answers, judge) — in rounds like the in-process runner: snapshot the graphs and documents of
/// the run's inputs (or of the whole account when it names none), stop with a reason when there is nothing to pair; plan paths, write
/// instructions (fan-out), pair (one activity), generate (fan-out), deduplicate; when the judge and deduplication
/// leave fewer pairs (or fewer multi-document pairs) than wanted, plan more; the round policy is the method library's
/// <see cref="RoundPlanner"/>, the same the in-process runner calls; then finalize.
/// </summary>
public static class GenerationSteps
{
    public static async Task<RunResult> GenerateAsync(
        TaskOrchestrationContext context,
        string runId,
        RunSettings settings,
        bool simulated,
        RunTotals totals,
        RunShape shape,
        RunProgressTracker progress,
        RunInputs? inputs = null,
        RunFingerprint? fingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var layout = new BlobLayout(shape.Containers);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(progress);
        var retry = FanOut.ActivityRetry(shape.ActivityAttempts);
        var snapshot = await context.CallActivityAsync<GraphSnapshot>(nameof(BuildGraphSnapshotActivity), new GenerationRequest(runId, settings, shape, simulated, inputs), retry);
        totals = totals with { MergedValues = snapshot.MergedValues };
        var noPairsReason = snapshot.NoPairsReason is null || inputs is null
            ? snapshot.NoPairsReason
            : NoPairsReason.BeforeGeneration(totals.Extraction.Items, totals.Extraction.Items - totals.Extraction.Succeeded - totals.Extraction.Rejected,
                totals.Extraction.Rejected, snapshot.Records, totals.Indexing.Items, snapshot.Documents);

        var kept = 0;
        var finalRound = 0;
        var multiDocumentPaths = 0;
        var roundPlanner = new RoundPlanner(settings.Pairs, shape.Oversample, shape.MaxRounds);
        for (var plan = noPairsReason is null ? roundPlanner.First : null; plan is not null;)
        {
            var round = plan.Round;
            var planned = await context.CallActivityAsync<PathPlanSummary>(nameof(PlanPathsActivity),
                new PathPlanRequest(runId, settings, round, plan.WantedPaths, snapshot, plan.MultiDocumentShare), retry);
            if (planned.Fresh == 0)
            {
                break;
            }

            finalRound = round;
            totals = totals with { PathsSampled = totals.PathsSampled + planned.Fresh };
            multiDocumentPaths += planned.MultiDocument;
            progress.Begin(StageNames.InstructionWriting, planned.Fresh);
            var pathSlices = WorkSlice.Cover(runId, layout.Paths(runId, round), "-", planned.Fresh, shape.InstructionBatchSize, round, settings);
            var instructions = await BatchFanOut.RunAsync(context, nameof(WriteInstructionsActivity), pathSlices, shape,
                s => progress.Advance(StageNames.InstructionWriting, s));
            totals = totals with { Instructions = totals.Instructions + instructions };

            progress.Begin(StageNames.Pairing, instructions.Succeeded);
            var pairing = await context.CallActivityAsync<WorkSummary>(nameof(PairInstructionsActivity), new RoundRequest(runId, settings, round, pathSlices.Count), retry);
            progress.Advance(StageNames.Pairing, pairing);
            totals = totals with { Pairing = totals.Pairing + pairing };

            progress.Begin(StageNames.PairGeneration, pairing.Succeeded);
            var pairSlices = WorkSlice.Cover(runId, layout.PlannedPairs(runId, round), "-", pairing.Succeeded, shape.PairBatchSize, round, settings);
            var generated = await BatchFanOut.RunAsync(context, nameof(GeneratePairsActivity), pairSlices, shape,
                s => progress.Advance(StageNames.PairGeneration, s));
            totals = totals with { Generation = totals.Generation + generated };

            var dedup = await context.CallActivityAsync<WorkSummary>(nameof(DeduplicatePairsActivity), new RoundRequest(runId, settings, round, pairSlices.Count), retry);
            kept = dedup.Succeeded;
            totals = totals with { NearDuplicatesRemoved = totals.NearDuplicatesRemoved + dedup.Rejected };
            progress.SetKept(Math.Min(kept, settings.Pairs));

            var tally = new RoundTally(totals.PathsSampled, multiDocumentPaths, kept, dedup.MultiDocument, planned.TargetShare, planned.MultiDocumentPossible);
            plan = roundPlanner.Next(plan, planned.Fresh, tally);
        }

        progress.Begin(StageNames.Finalizing, 1);
        var result = await context.CallActivityAsync<RunResult>(nameof(FinalizeDatasetActivity), new FinalizeRequest(runId, settings, finalRound, simulated, totals, noPairsReason, fingerprint, shape.Batch is not null), retry);
        progress.Complete(result.Pairs, $"{result.DatasetContainer}/{result.DatasetPrefix}");
        return result;
    }
}
