using Microsoft.Extensions.AI;

namespace WildLong.Llm.Caching;

/// <summary>
/// The part of a model answer worth keeping (text, finish reason, model id, usage), in a stable JSON shape that
/// outlives library upgrades; a serialized <c>ChatResponse</c> would tie the cache to one package version.
/// </summary>
public sealed record CachedChatResponse
{
    /// <summary>Version of this entry's shape; entries of another version are treated as misses.</summary>
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The content address the entry is stored under (see <see cref="ResponseCacheKey"/>).</summary>
    public required string Key { get; init; }

    /// <summary>
    /// Who gave the answer (<see cref="ModelIdentity.Text"/>: provider, endpoint, deployment, API version, simulated);
    /// a lookup whose model has another identity treats the entry as a miss.
    /// </summary>
    public string? Identity { get; init; }

    public required string Text { get; init; }

    public string? FinishReason { get; init; }

    public string? ModelId { get; init; }

    public string? ResponseId { get; init; }

    public long? InputTokens { get; init; }

    public long? CachedInputTokens { get; init; }

    public long? OutputTokens { get; init; }

    public long? TotalTokens { get; init; }

    /// <summary>Captures the storable part of <paramref name="response"/>, recording who gave it.</summary>
    public static CachedChatResponse From(string key, string? identity, ChatResponse response)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(response);
        return new CachedChatResponse
        {
            Key = key,
            Identity = identity,
            Text = response.Text,
            FinishReason = response.FinishReason?.Value,
            ModelId = response.ModelId,
            ResponseId = response.ResponseId,
            InputTokens = response.Usage?.InputTokenCount,
            CachedInputTokens = response.Usage?.CachedInputTokenCount,
            OutputTokens = response.Usage?.OutputTokenCount,
            TotalTokens = response.Usage?.TotalTokenCount,
        };
    }

    /// <summary>Rebuilds a response equivalent to the one stored (one assistant message).</summary>
    public ChatResponse ToChatResponse()
    {
        var hasUsage = InputTokens is not null || OutputTokens is not null || TotalTokens is not null || CachedInputTokens is not null;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, Text))
        {
            FinishReason = FinishReason is null ? null : new ChatFinishReason(FinishReason),
            ModelId = ModelId,
            ResponseId = ResponseId,
            Usage = hasUsage
                ? new UsageDetails
                {
                    InputTokenCount = InputTokens,
                    CachedInputTokenCount = CachedInputTokens,
                    OutputTokenCount = OutputTokens,
                    TotalTokenCount = TotalTokens,
                }
                : null,
        };
    }
}
