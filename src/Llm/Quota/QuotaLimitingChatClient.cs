using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace WildLong.Llm.Quota;

/// <summary>
/// The pipeline layer that makes every attempt wait for quota before it is sent (see <see cref="QuotaLimiter"/>).
/// It sits inside the resilience layer so retries are admitted (and charged) like first attempts.
/// </summary>
public sealed class QuotaLimitingChatClient : DelegatingChatClient
{
    private readonly QuotaLimiter limiter;
    private readonly int defaultMaxOutputTokens;

    public QuotaLimitingChatClient(IChatClient innerClient, QuotaLimiter limiter, int defaultMaxOutputTokens)
        : base(innerClient)
    {
        this.limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(defaultMaxOutputTokens);
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        using var lease = await limiter.AcquireAsync(PromptTokenEstimator.AdmissionCharge(list, options, defaultMaxOutputTokens), cancellationToken);
        using (lease.Activate())
        {
            var response = await base.GetResponseAsync(list, options, cancellationToken);
            lease.MarkSucceeded();
            return response;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        using var lease = await limiter.AcquireAsync(PromptTokenEstimator.AdmissionCharge(list, options, defaultMaxOutputTokens), cancellationToken);
        using (lease.Activate())
        {
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken))
            {
                yield return update;
            }

            lease.MarkSucceeded();
        }
    }
}
