namespace WildLong.Simulator;

/// <summary>
/// Counters over one minute or the whole run, so quota and cache benchmarks can read what the "model" saw
/// (admitted vs served tokens, throttling, cache effectiveness, injected faults) without parsing logs.
/// </summary>
public sealed record SimulatorCounters
{
    /// <summary>Start of the minute (UTC) for per-minute entries; null for run totals.</summary>
    public DateTimeOffset? Minute { get; init; }

    /// <summary>Chat-completion requests received (any outcome).</summary>
    public long Requests { get; init; }

    /// <summary>Requests answered 200 with a completion (including content faults).</summary>
    public long Completed { get; init; }

    /// <summary>Requests answered 429.</summary>
    public long Throttled { get; init; }

    /// <summary>Requests rejected before admission: 400, 401, 404.</summary>
    public long Rejected { get; init; }

    /// <summary>Tokens charged at admission (prompt + max_tokens or its default).</summary>
    public long TokensAdmitted { get; init; }

    public long PromptTokensServed { get; init; }

    public long CompletionTokensServed { get; init; }

    /// <summary>Completed requests whose prompt hit the prompt cache.</summary>
    public long CacheHits { get; init; }

    public long CachedTokens { get; init; }

    /// <summary>Injected faults by kind (<see cref="FaultKind"/> names).</summary>
    public IReadOnlyDictionary<string, long> Faults { get; init; } = new Dictionary<string, long>();
}
