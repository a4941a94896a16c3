namespace WildLong.Simulator;

/// <summary>
/// Rates of injected failures (each in [0, 1], their sum at most 1), so retry, timeout and quarantine paths are
/// exercised on purpose. Decisions are deterministic given <see cref="Seed"/> and the request sequence.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>Seed of the fault draws; the same seed and the same requests give the same faults.</summary>
    public long Seed { get; set; } = 7;

    /// <summary>HTTP 500 with an OpenAI-style error body.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>HTTP 503 (service unavailable) with a retry-after header.</summary>
    public double ServiceUnavailableRate { get; set; }

    /// <summary>The connection is aborted without an answer.</summary>
    public double ConnectionResetRate { get; set; }

    /// <summary>No answer for <see cref="HangSeconds"/> (the wait ends early when the client gives up), then 408.</summary>
    public double HangRate { get; set; }

    /// <summary>How long a hung request waits before answering; longer than any sensible client timeout.</summary>
    public double HangSeconds { get; set; } = 600;

    /// <summary>HTTP 200 whose body is cut in the middle of the JSON.</summary>
    public double MalformedJsonRate { get; set; }

    /// <summary>The content is cut at about half of its tokens and <c>finish_reason</c> is <c>length</c>.</summary>
    public double TruncatedContentRate { get; set; }

    /// <summary>For structured-output requests, valid JSON that breaks the schema (a required property is missing).</summary>
    public double SchemaViolationRate { get; set; }

    internal double TotalRate => ServerErrorRate + ServiceUnavailableRate + ConnectionResetRate + HangRate
        + MalformedJsonRate + TruncatedContentRate + SchemaViolationRate;
}
