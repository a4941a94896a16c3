using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask;
using WildLong.Pipeline.Extraction;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// Fan-out from inside an orchestrator: slices go to activities directly when few (at most
/// <see cref="DirectCallLimit"/> and the group size), or through <see cref="FanOutOrchestrator"/> sub-orchestrations of
/// at most the group size otherwise; each completed group reports its
/// summary to a callback (live progress) as it arrives.
/// </summary>
public static class FanOut
{
    /// <summary>
    /// Most slices a fan-out calls from the caller's own orchestration; more go through <see cref="FanOutOrchestrator"/>
    /// groups even when they would fit in one. Every result a caller receives is an episode that replays its whole
    /// history, so a parent running hundreds of activities itself would replay hundreds of times per stage; through
    /// groups it replays once per group, and only the groups' own (bounded) histories are replayed per slice.
    /// </summary>
    public const int DirectCallLimit = 16;

    /// <summary>Attempts per activity when a <see cref="FanOutRequest"/> names none.</summary>
    public const int DefaultAttempts = 3;

    /// <summary>
    /// Every sub-orchestration a run starts has its parent's instance id, this, and a suffix: a fan-out group's suffix is
    /// a replay-safe GUID, a per-input child's is <see cref="InputIdMarker"/> and a hash of its input (see
    /// <see cref="InputChildId"/>). Grandchildren nest the same way, so clients find all of a run's descendants by the
    /// prefix "run id + this" (progress, terminate, purge).
    /// </summary>
    public const string GroupIdInfix = "~fanout-";

    /// <summary>Starts the suffix of a per-input child's id (a group's GUID suffix is hex, so never starts with it).</summary>
    public const string InputIdMarker = "input-";

    /// <summary>
    /// The instance id of the child that processes one input blob for parent <paramref name="parentId"/>: derived from
    /// the parent's id, the input kind and the blob's container and name only, so a replay or a re-delivered start
    /// message names the same child instead of starting a second one. The blob name is hashed (instance ids must not
    /// hold '/' and stay short on Azure Storage).
    /// </summary>
    public static string InputChildId(string parentId, InputKind kind, BlobRef blob)
    {
        ArgumentNullException.ThrowIfNull(parentId);
        ArgumentNullException.ThrowIfNull(blob);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blob.Container + "/" + blob.Name)))[..20];
        return parentId + GroupIdInfix + InputIdMarker + kind.ToString().ToLowerInvariant() + "-" + hash;
    }

    /// <summary>Whether an instance id under a run's prefix is a per-input child (its custom status is <see cref="InputProgress"/>), not a group.</summary>
    public static bool IsInputChild(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var last = instanceId.LastIndexOf(GroupIdInfix, StringComparison.Ordinal);
        return last >= 0 && instanceId.AsSpan(last + GroupIdInfix.Length).StartsWith(InputIdMarker, StringComparison.Ordinal);
    }

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
        if (slices.Count <= Math.Min(perSubOrchestration, DirectCallLimit))
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
