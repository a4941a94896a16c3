using Microsoft.Extensions.AI;

namespace WildLong.Llm.Quota;

/// <summary>Puts the quota limiter into a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class QuotaChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="QuotaLimitingChatClient"/>: every attempt waits for TPM/RPM room and a concurrency slot of
    /// <paramref name="limiter"/>, charged its prompt plus <paramref name="defaultMaxOutputTokens"/> when the call sets
    /// no maximum. Share one limiter among every client of the process, or each takes the whole quota.
    /// </summary>
    public static ChatClientBuilder UseQuotaLimiting(this ChatClientBuilder builder, QuotaLimiter limiter, int defaultMaxOutputTokens)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(limiter);
        return builder.Use(inner => new QuotaLimitingChatClient(inner, limiter, defaultMaxOutputTokens));
    }
}
