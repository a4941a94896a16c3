namespace WildLong.Core.Reports;

/// <summary>
/// What the dataset cost: per stage tokens, calls, retries and cost; cost per kept pair; billed input per kept pair
/// ((uncached input + cached input × cached-price ratio) ÷ kept pairs), also as a multiple of the mean document tokens
/// per kept pair; in batch mode the discount per stage (what the batch price took off the list price).
/// </summary>
public sealed record SpendReport(
    string? Currency,
    IReadOnlyList<StageSpend> Stages,
    double? TotalCost,
    ReportMetric CostPerKeptPair,
    double? CachedPriceRatio,
    ReportMetric BilledInputPerKeptPair,
    ReportMetric MeanDocumentTokensPerKeptPair,
    ReportMetric BilledInputMultiple,
    bool Batch = false)
{
    /// <summary>What the batch discount took off the list price, over every stage (null when no stage records one).</summary>
    public double? BatchDiscount => Stages.Any(s => s.BatchDiscount is not null) ? Stages.Sum(s => s.BatchDiscount ?? 0) : null;
}
