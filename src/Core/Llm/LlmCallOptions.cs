namespace WildLong.Core.Llm;

/// <summary>How stage code talks to the model: attempts for structured output, sampling settings.</summary>
public sealed class LlmCallOptions
{
    public const string SectionName = "WildLong:Llm";

    /// <summary>Attempts for one structured call, counting the first; each retry carries the validation error.</summary>
    public int MaxStructuredAttempts { get; set; } = 3;

    /// <summary>Sampling temperature sent with every call; null leaves the model's default.</summary>
    public float? Temperature { get; set; } = 0.7f;

    /// <summary>Seed sent with every call (derived per item where the stage knows one), for reproducible answers.</summary>
    public long? Seed { get; set; }

    /// <summary>Model or deployment id sent with calls; null uses the client's own.</summary>
    public string? ModelId { get; set; }
}
