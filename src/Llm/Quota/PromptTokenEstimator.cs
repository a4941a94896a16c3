using Microsoft.Extensions.AI;
using WildLong.Core.Documents;

namespace WildLong.Llm.Quota;

/// <summary>
/// What a request will be charged at admission, computed the way Azure does before the model runs: prompt tokens
/// (o200k_base over each message's text plus a few tokens of per-message framing) plus the maximum output tokens.
/// The limiter must charge the same amount the server will, or it either wastes quota or collects 429s.
/// </summary>
public static class PromptTokenEstimator
{
    public static int PromptTokens(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return TokenCounter.Shared.CountChatPrompt(messages.Select(m => m.Text));
    }

    /// <summary>Prompt tokens plus <see cref="ChatOptions.MaxOutputTokens"/> (or <paramref name="defaultMaxOutputTokens"/> when unset).</summary>
    public static long AdmissionCharge(IEnumerable<ChatMessage> messages, ChatOptions? options, int defaultMaxOutputTokens)
        => PromptTokens(messages) + (long)(options?.MaxOutputTokens ?? defaultMaxOutputTokens);
}
