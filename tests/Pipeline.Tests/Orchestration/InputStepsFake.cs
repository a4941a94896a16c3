using System.Collections.Concurrent;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>
/// Fakes for the activities of the input stages, registered under the real activity names: planning answers the item
/// count configured per blob name (or throws for a blob listed as unplannable), a slice succeeds with all its items,
/// a merge succeeds unless its shard is listed as failing. Every call is counted per activity.
/// </summary>
public sealed class InputStepsFake(IReadOnlyDictionary<string, int> items, IReadOnlySet<string>? unplannable = null, IReadOnlySet<string>? failingMerges = null)
{
    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    public InputBlobPlan Plan(PlanInputBlobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Count(nameof(PlanInputBlobActivity));
        if (unplannable?.Contains(request.Blob.Name) == true)
        {
            throw new InvalidOperationException($"{request.Blob.Name} is not readable");
        }

        return new InputBlobPlan(request.Blob, "id-" + request.Blob.Name, "v1", items[request.Blob.Name]);
    }

    public WorkSummary Slice(string activity, WorkSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        Count(activity);
        return WorkSummary.Empty with { Items = slice.Count, Succeeded = slice.Count };
    }

    public WorkSummary Merge(ShardMergeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Count(nameof(MergeShardGraphActivity));
        if (failingMerges?.Contains(request.Shard.Blob.Name) == true)
        {
            throw new InvalidOperationException($"merging {request.Shard.Blob.Name} failed");
        }

        return WorkSummary.Empty;
    }

    private void Count(string activity) => Calls.AddOrUpdate(activity, 1, (_, n) => n + 1);
}
