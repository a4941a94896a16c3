using Microsoft.Extensions.AI;
using WildLong.Core.Documents;
using WildLong.Core.Model;

namespace WildLong.Llm.Quota;

/// <summary>
/// What a request will be charged at admission, computed the way Azure does before the model runs: prompt tokens
/// (o200k_base over each message's text plus a few tokens of per-message framing), the structured-output schema
/// (rendered into the model's context and billed as prompt tokens; the simulator bills the same compact text, see
/// <see cref="SchemaText"/>), plus the maximum output tokens.
/// The limiter must charge the same amount the server will, or it either wastes quota or collects 429s: leaving the
/// schema out under-charged an extraction call by ~5 %, which a pool of workers that each fill their share of the
/// window overshoots by the same 5 %.
/// </summary>
public static class PromptTokenEstimator
{
    public static int PromptTokens(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return TokenCounter.Shared.CountChatPrompt(messages.Select(m => m.Text));
    }

    /// <summary>Tokens of the JSON schema a structured request sends (0 without one).</summary>
    public static int SchemaTokens(ChatOptions? options)
        => options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } ? TokenCounter.Shared.Count(SchemaText.Compact(schema)) : 0;

    /// <summary>
    /// Prompt tokens, plus the schema's tokens, plus <see cref="ChatOptions.MaxOutputTokens"/> (or
    /// <paramref name="defaultMaxOutputTokens"/> when unset).
    /// </summary>
    public static long AdmissionCharge(IEnumerable<ChatMessage> messages, ChatOptions? options, int defaultMaxOutputTokens)
        => PromptTokens(messages) + SchemaTokens(options) + (long)(options?.MaxOutputTokens ?? defaultMaxOutputTokens);
}
