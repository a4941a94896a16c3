using Microsoft.DurableTask;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// Fan-out from inside an orchestrator: slices go to activities directly when few, or through
/// <see cref="FanOutOrchestrator"/> sub-orchestrations of bounded size when many; each completed group reports its
/// summary to a callback (live progress) as it arrives.
/// </summary>
public static class FanOut
{
    /// <summary>Attempts per activity when a <see cref="FanOutRequest"/> names none.</summary>
    public const int DefaultAttempts = 3;

    /// <summary>A group's instance id is its parent's, this, and a replay-safe GUID: clients find a run's groups by prefix.</summary>
    public const string GroupIdInfix = "~fanout-";

    public static TaskOptions ActivityRetry(int attempts)
        => TaskOptions.FromRetryPolicy(new RetryPolicy(attempts, TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <summary>Calls the activity for one slice; a slice that still fails after its retries becomes a failed summary.</summary>
    public static async Task<WorkSummary> CallSliceAsync(TaskOrchestrationContext context, string activity, WorkSlice slice, TaskOptions? options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(slice);
        try
        {
            return await context.CallActivityAsync<WorkSummary>(activity, slice, options);
        }
        catch (TaskFailedException ex)
        {
            var reason = $"{activity} failed for {slice.Source} items {slice.Start}..{slice.Start + slice.Count - 1}: {ex.FailureDetails.ErrorMessage}";
            return WorkSummary.Failed(slice.Count, reason);
        }
    }

    public static async Task<WorkSummary> RunAsync(
        TaskOrchestrationContext context,
        string activity,
        IReadOnlyList<WorkSlice> slices,
        int perSubOrchestration,
        int attempts,
        Action<WorkSummary>? onCompleted)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(slices);
        var retry = ActivityRetry(attempts);
        var pending = new List<Task<WorkSummary>>();
        if (slices.Count <= perSubOrchestration)
        {
            pending.AddRange(slices.Select(s => CallSliceAsync(context, activity, s, retry)));
        }
        else
        {
            foreach (var group in slices.Chunk(perSubOrchestration))
            {
                pending.Add(CallGroupAsync(context, activity, group, attempts));
            }
        }

        var total = WorkSummary.Empty;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            var summary = await done;
            total += summary;
            onCompleted?.Invoke(summary);
        }

        return total;
    }

    private static async Task<WorkSummary> CallGroupAsync(TaskOrchestrationContext context, string activity, WorkSlice[] group, int attempts)
    {
        try
        {
            return await context.CallSubOrchestratorAsync<WorkSummary>(nameof(FanOutOrchestrator), new FanOutRequest(activity, group, attempts),
                new SubOrchestrationOptions { InstanceId = context.InstanceId + GroupIdInfix + context.NewGuid().ToString("N") });
        }
        catch (TaskFailedException ex)
        {
            return WorkSummary.Failed(group.Sum(s => s.Count), $"{activity} group starting at slice {group[0].Index} failed: {ex.FailureDetails.ErrorMessage}");
        }
    }
}
