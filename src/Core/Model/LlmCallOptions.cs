namespace WildLong.Core.Model;

/// <summary>How stage code talks to the model: attempts for structured output, sampling settings.</summary>
public sealed class LlmCallOptions
{
    public const string SectionName = "WildLong:Llm";

    /// <summary>Every model call is made as it comes (the default).</summary>
    public const string OnlineMode = "online";

    /// <summary>
    /// The durable pipeline sends each model stage's requests as batches (Global Batch, OpenAI Batch, or a batch
    /// folder) and waits for them with durable timers; see <c>WildLong:Llm:Batch</c>. Part of the run fingerprint.
    /// </summary>
    public const string BatchMode = "batch";

    /// <summary>Attempts for one structured call, counting the first; each retry carries the validation error.</summary>
    public int MaxStructuredAttempts { get; set; } = 3;

    /// <summary>Sampling temperature sent with every call; null leaves the model's default.</summary>
    public float? Temperature { get; set; } = 0.7f;

    /// <summary>Seed sent with every call (derived per item where the stage knows one), for reproducible answers.</summary>
    public long? Seed { get; set; }

    /// <summary><see cref="OnlineMode"/> or <see cref="BatchMode"/> (CLI <c>--batch</c>).</summary>
    public string Mode { get; set; } = OnlineMode;

    /// <summary>True when <see cref="Mode"/> is <see cref="BatchMode"/> (any case).</summary>
    public bool IsBatchMode() => string.Equals(Mode, BatchMode, StringComparison.OrdinalIgnoreCase);

    /// <summary>Model or deployment id sent with calls; null uses the client's own.</summary>
    public string? ModelId { get; set; }
}
