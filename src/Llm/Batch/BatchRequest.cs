using Microsoft.Extensions.AI;

namespace WildLong.Llm.Batch;

/// <summary>
/// One chat request destined for a batch input file, identified by a <c>custom_id</c> that maps its answer back
/// to the item that asked; stage code builds these instead of calling the model online when cost beats latency.
/// </summary>
public sealed record BatchRequest
{
    /// <summary>Unique within a batch; stage code derives it from the item (e.g. stage + item id).</summary>
    public required string CustomId { get; init; }

    /// <summary>The deployment name (Azure) or model name (OpenAI).</summary>
    public required string Model { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Sent as <c>max_tokens</c>; every request carries a tight limit.</summary>
    public required int MaxOutputTokens { get; init; }

    /// <summary>Text (null), JSON, or JSON schema (sent with <c>strict: true</c>).</summary>
    public ChatResponseFormat? ResponseFormat { get; init; }

    public float? Temperature { get; init; }

    public long? Seed { get; init; }
}
