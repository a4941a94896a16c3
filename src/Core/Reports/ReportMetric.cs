namespace WildLong.Core.Reports;

/// <summary>
/// One figure of the dataset report with the count it was computed over (docs/quality-metrics.md), or — when it
/// cannot be computed — null and the reason, so a missing figure never reads as 0.
/// </summary>
/// <param name="Value">The figure, or null when it cannot be computed.</param>
/// <param name="Count">How many items (pairs, n-grams, passages, …) the figure was computed over.</param>
/// <param name="Reason">Why there is no figure (null when there is one).</param>
public sealed record ReportMetric(double? Value, long Count, string? Reason = null)
{
    public static ReportMetric Of(double value, long count) => new(value, count);

    public static ReportMetric Missing(string reason, long count = 0) => new(null, count, reason);

    /// <summary><paramref name="numerator"/> ÷ <paramref name="count"/>, or missing with <paramref name="reason"/> when the count is 0.</summary>
    public static ReportMetric Share(long numerator, long count, string reason)
        => count == 0 ? Missing(reason) : Of((double)numerator / count, count);
}
