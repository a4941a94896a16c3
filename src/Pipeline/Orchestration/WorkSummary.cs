using WildLong.Core.Model;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// What an activity reports back: counts, token usage per stage and cost. Small by design (orchestration messages
/// carry summaries, never data) and additive, so a parent sums its children's summaries into the run's totals.
/// <c>MultiDocument</c> counts, where a step reports it, the multi-document items among <c>Succeeded</c> (the round
/// policy's input). <c>Deferred</c> lists, in batch mode, the slices whose pass ended with requests waiting for a
/// batch (their counts are not in this summary: the slice runs again once the batch is collected).
/// </summary>
public sealed record WorkSummary(
    int Items,
    int Succeeded,
    int Rejected,
    IReadOnlyDictionary<string, StageUsage> Usage,
    decimal Cost,
    int FailedSlices = 0,
    IReadOnlyList<string>? Failures = null,
    int MultiDocument = 0,
    IReadOnlyList<DeferredSlice>? Deferred = null)
{
    /// <summary>Failure messages kept per summary (the rest are counted, not listed, to keep messages small).</summary>
    public const int MaxFailuresListed = 20;

    public static WorkSummary Empty { get; } = new(0, 0, 0, new Dictionary<string, StageUsage>(), 0m);

    public StageUsage TotalUsage => Usage.Values.Aggregate(StageUsage.Zero, (a, b) => a + b);

    public static WorkSummary Failed(int items, string reason) => Empty with { Items = items, Rejected = items, FailedSlices = 1, Failures = [reason] };

    public static WorkSummary operator +(WorkSummary a, WorkSummary b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var usage = new SortedDictionary<string, StageUsage>(StringComparer.Ordinal);
        foreach (var (stage, value) in a.Usage.Concat(b.Usage))
        {
            usage[stage] = usage.TryGetValue(stage, out var existing) ? existing + value : value;
        }

        var failures = (a.Failures ?? []).Concat(b.Failures ?? []).Take(MaxFailuresListed).ToList();
        var deferred = (a.Deferred ?? []).Concat(b.Deferred ?? []).ToList();
        return new WorkSummary(a.Items + b.Items, a.Succeeded + b.Succeeded, a.Rejected + b.Rejected, usage, a.Cost + b.Cost,
            a.FailedSlices + b.FailedSlices, failures.Count == 0 ? null : failures, a.MultiDocument + b.MultiDocument, deferred.Count == 0 ? null : deferred);
    }

    public static WorkSummary Add(WorkSummary a, WorkSummary b) => a + b;

    public static WorkSummary Sum(IEnumerable<WorkSummary> summaries) => summaries.Aggregate(Empty, (a, b) => a + b);
}
