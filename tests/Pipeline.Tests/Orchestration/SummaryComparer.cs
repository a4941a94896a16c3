using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>Compares <see cref="WorkSummary"/> values by their counts and cost (records compare dictionaries by reference).</summary>
public sealed class SummaryComparer : IEqualityComparer<WorkSummary>
{
    public static SummaryComparer Instance { get; } = new();

    public bool Equals(WorkSummary? x, WorkSummary? y)
        => x is not null && y is not null
            && (x.Items, x.Succeeded, x.Rejected, x.Cost, x.FailedSlices) == (y.Items, y.Succeeded, y.Rejected, y.Cost, y.FailedSlices);

    public int GetHashCode(WorkSummary obj) => HashCode.Combine(obj?.Items, obj?.Succeeded, obj?.Rejected);
}
