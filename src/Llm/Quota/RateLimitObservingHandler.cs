using System.Globalization;
using System.Net;

namespace WildLong.Llm.Quota;

/// <summary>
/// Sits on the HTTP transport under the model client and tells the <see cref="QuotaLimiter"/> what the server says
/// about quota: the <c>x-ratelimit-remaining-tokens/-requests</c> headers of every answer and every 429 with its
/// retry-after. The chat-client layers above only see exceptions and parsed completions, not headers. It also tells
/// the limiter when the admitted request actually leaves — when it is passed on and again when its body has been
/// written (<see cref="SentMarkingContent"/>) — so the limiter's windows start when the server's do.
/// </summary>
public sealed class RateLimitObservingHandler : DelegatingHandler
{
    private readonly QuotaLimiter limiter;
    private readonly TimeProvider time;

    public RateLimitObservingHandler(QuotaLimiter limiter, TimeProvider time)
    {
        this.limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var lease = QuotaLease.Current;
        if (lease is not null)
        {
            // Stamped now, and again when the body's last byte is written (the charge only moves later).
            limiter.MarkSent(lease);
            if (request.Content is { } content)
            {
                request.Content = new SentMarkingContent(content, () => limiter.MarkSent(lease));
            }
        }

        var response = await base.SendAsync(request, cancellationToken);
        var remainingTokens = Number(response, "x-ratelimit-remaining-tokens");
        var remainingRequests = Number(response, "x-ratelimit-remaining-requests");
        if (remainingTokens is not null || remainingRequests is not null)
        {
            limiter.ObserveRemaining(remainingTokens, remainingRequests, lease?.SentAt ?? lease?.AdmittedAt);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            limiter.ObserveThrottled(RetryAfter.Parse(name => Header(response, name), time.GetUtcNow()));
        }

        return response;
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static long? Number(HttpResponseMessage response, string name)
        => long.TryParse(Header(response, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
