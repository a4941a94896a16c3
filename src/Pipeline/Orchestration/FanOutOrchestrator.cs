using Microsoft.DurableTask;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// Runs one activity over a bounded list of slices and returns the summed summary. Parents split big fan-outs into
/// several of these (the Durable Task maintainers' advice: keep each orchestration's history small), and a slice whose
/// activity keeps failing after its retries is counted as failed instead of failing the run. Publishes its progress so
/// far as custom status (<see cref="FanOutProgress"/>).
/// </summary>
public sealed class FanOutOrchestrator : TaskOrchestrator<FanOutRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskOrchestrationContext context, FanOutRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var options = FanOut.ActivityRetry(Math.Max(1, input.Attempts));
        var pending = input.Slices.Select(slice => FanOut.CallSliceAsync(context, input.Activity, slice, options)).ToList();
        var done = WorkSummary.Empty;
        while (pending.Count > 0)
        {
            var finished = await Task.WhenAny(pending);
            pending.Remove(finished);
            done += await finished;
            context.SetCustomStatus(new FanOutProgress(input.Activity, input.Slices.Count, input.Slices.Count - pending.Count, done));
        }

        return done;
    }
}
