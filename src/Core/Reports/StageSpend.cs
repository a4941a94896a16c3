namespace WildLong.Core.Reports;

/// <summary>
/// One stage's model use: calls, answers served from the response cache (not billed), retries, tokens (input, of
/// which cached, output) and cost (null when not recorded).
/// </summary>
public sealed record StageSpend(string Stage, long Calls, long CacheHits, long Retries, long InputTokens, long CachedInputTokens, long OutputTokens, double? Cost, double? BatchDiscount = null);
