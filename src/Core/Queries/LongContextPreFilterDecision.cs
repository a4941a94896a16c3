namespace WildLong.Core.Queries;

/// <summary>
/// Whether the pre-filter passes a query on to extraction, and why. The reason is kept with filtered queries so a
/// user can see which rule removed what and tune the thresholds.
/// </summary>
public sealed record LongContextPreFilterDecision(bool Keep, string Reason);
