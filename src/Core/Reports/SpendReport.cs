namespace WildLong.Core.Reports;

/// <summary>
/// What the dataset cost: per stage tokens, calls, retries and cost; cost per kept pair; billed input per kept pair
/// ((uncached input + cached input × cached-price ratio) ÷ kept pairs), also as a multiple of the mean document tokens
/// per kept pair.
/// </summary>
public sealed record SpendReport(
    string? Currency,
    IReadOnlyList<StageSpend> Stages,
    double? TotalCost,
    ReportMetric CostPerKeptPair,
    double? CachedPriceRatio,
    ReportMetric BilledInputPerKeptPair,
    ReportMetric MeanDocumentTokensPerKeptPair,
    ReportMetric BilledInputMultiple);
