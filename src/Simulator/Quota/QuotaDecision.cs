namespace WildLong.Simulator.Quota;

/// <summary>The outcome of one admission check, with what the rate-limit headers report.</summary>
internal readonly record struct QuotaDecision(bool Admitted, TimeSpan RetryAfter, long RemainingTokens, long RemainingRequests, string? LimitKind);
