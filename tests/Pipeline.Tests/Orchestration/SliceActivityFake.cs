using System.Collections.Concurrent;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>
/// A fake slice activity, registered under a real activity's name: every slice succeeds with all its items except
/// the slice whose index is <see cref="FailingIndex"/>, which always throws; every call is counted per slice.
/// </summary>
public sealed class SliceActivityFake(int failingIndex)
{
    public int FailingIndex { get; } = failingIndex;

    public ConcurrentDictionary<int, int> Calls { get; } = new();

    public WorkSummary Run(WorkSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        Calls.AddOrUpdate(slice.Index, 1, (_, n) => n + 1);
        if (slice.Index == FailingIndex)
        {
            throw new InvalidOperationException($"slice {slice.Index} always fails");
        }

        return WorkSummary.Empty with { Items = slice.Count, Succeeded = slice.Count - 1, Rejected = 1, Cost = 0.25m };
    }
}
