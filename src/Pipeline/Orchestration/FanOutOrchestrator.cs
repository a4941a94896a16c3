using Microsoft.DurableTask;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// Runs one activity over a bounded list of slices and returns the summed summary. Parents split big fan-outs into
/// several of these (the Durable Task maintainers' advice: keep each orchestration's history small), and a slice whose
/// activity keeps failing after its retries is counted as failed instead of failing the run.
/// </summary>
public sealed class FanOutOrchestrator : TaskOrchestrator<FanOutRequest, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskOrchestrationContext context, FanOutRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var options = FanOut.ActivityRetry(Math.Max(1, input.Attempts));
        var results = await Task.WhenAll(input.Slices.Select(slice => FanOut.CallSliceAsync(context, input.Activity, slice, options)));
        return WorkSummary.Sum(results);
    }
}
