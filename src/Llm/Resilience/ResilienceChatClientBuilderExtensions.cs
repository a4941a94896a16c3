using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Core.Model;

namespace WildLong.Llm.Resilience;

/// <summary>Puts the resilience layers into a <see cref="ChatClientBuilder"/> pipeline (see <see cref="ModelResilience"/>).</summary>
public static class ResilienceChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ResilientChatClient"/>: the total timeout and retries of one logical call, counted against its
    /// stage in <paramref name="ledger"/>. Place it above the quota limiter, so every retry waits for quota too.
    /// </summary>
    public static ChatClientBuilder UseModelResilience(this ChatClientBuilder builder, ModelOptions options, UsageLedger ledger, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var pipeline = ModelResilience.BuildRetryPipeline(options, ledger, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
        return builder.Use(inner => new ResilientChatClient(inner, pipeline, ledger));
    }

    /// <summary>
    /// Adds <see cref="AttemptTimeoutChatClient"/>: the timeout of one attempt (<see cref="ModelOptions.RequestTimeout"/>).
    /// Place it below the quota limiter, so waiting for quota is not mistaken for a slow model.
    /// </summary>
    public static ChatClientBuilder UseAttemptTimeout(this ChatClientBuilder builder, ModelOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var pipeline = ModelResilience.BuildAttemptPipeline(options, time ?? TimeProvider.System);
        return builder.Use(inner => new AttemptTimeoutChatClient(inner, pipeline));
    }
}
