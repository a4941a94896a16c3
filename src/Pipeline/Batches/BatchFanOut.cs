using Microsoft.DurableTask;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Batches;

/// <summary>
/// A model stage's fan-out from inside an orchestrator, online or in batch mode. Online it is
/// <see cref="FanOut.RunAsync"/>. In batch mode ("replay until answered") each pass runs the slices still open with
/// <see cref="WorkSlice.BatchPass"/> set: a slice whose calls the response cache and collected batches answer
/// completes as online; one that needed anything else returns the request lines it recorded instead. The
/// orchestration submits those lines as one batch (<see cref="ModelBatchActivity"/>), waits with durable timers
/// between polls, collects, and runs the open slices again; dependent calls (adapt → answer → judge, repair turns)
/// take one pass each. After <see cref="ModelBatchShape.MaxPasses"/> passes a last pass quarantines what is still
/// unanswered, with the reason. Validation is the stage's own, as online, because the stage code runs unchanged.
/// </summary>
public static class BatchFanOut
{
    public static async Task<WorkSummary> RunAsync(
        TaskOrchestrationContext context,
        string activity,
        IReadOnlyList<WorkSlice> slices,
        RunShape shape,
        Action<WorkSummary>? onCompleted)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Batch is not { } batch)
        {
            return await FanOut.RunAsync(context, activity, slices, shape.ActivitiesPerSubOrchestration, shape.ActivityAttempts, onCompleted);
        }

        var retry = FanOut.ActivityRetry(shape.ActivityAttempts);
        var total = WorkSummary.Empty;
        IReadOnlyList<WorkSlice> open = slices;
        for (var pass = 1; open.Count > 0; pass++)
        {
            var final = pass > batch.MaxPasses;
            var run = open.Select(s => s with { BatchPass = pass, BatchFinal = final }).ToList();
            var summary = await FanOut.RunAsync(context, activity, run, shape.ActivitiesPerSubOrchestration, shape.ActivityAttempts, onCompleted);
            var deferred = summary.Deferred ?? [];
            total += summary with { Deferred = null };
            if (deferred.Count == 0 || final)
            {
                break;
            }

            var submitted = await context.CallActivityAsync<ModelBatchResult>(nameof(ModelBatchActivity),
                new ModelBatchRequest(ModelBatchAction.Submit, [.. deferred.Select(d => d.Requests)]), retry);
            var ticket = submitted.Ticket!;
            while (!(await context.CallActivityAsync<ModelBatchResult>(nameof(ModelBatchActivity), new ModelBatchRequest(ModelBatchAction.Poll, Ticket: ticket), retry)).Done)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + batch.PollInterval, CancellationToken.None);
            }

            var collected = (await context.CallActivityAsync<ModelBatchResult>(nameof(ModelBatchActivity),
                new ModelBatchRequest(ModelBatchAction.Collect, Ticket: ticket), retry)).Collected ?? WorkSummary.Empty;
            total += collected;
            onCompleted?.Invoke(collected);
            open = [.. deferred.Select(d => d.Slice with { BatchPass = 0, BatchFinal = false })];
        }

        return total;
    }
}
