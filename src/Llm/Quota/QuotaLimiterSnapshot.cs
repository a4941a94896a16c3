namespace WildLong.Llm.Quota;

/// <summary>What the limiter is doing right now, for status lines, the benchmark and tests.</summary>
public sealed record QuotaLimiterSnapshot(
    int ConcurrencyLimit,
    int InFlight,
    int Waiting,
    DateTimeOffset PausedUntil,
    long TokensInWindow,
    long RequestsInWindow,
    long Admitted,
    long Throttled,
    int ConcurrencyDecreases,
    long ForeignTokens,
    long ForeignRequests);
