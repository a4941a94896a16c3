namespace WildLong.Simulator.Quota;

/// <summary>
/// Azure-style quota for one deployment. Rule (documented in the README):
/// <list type="bullet">
/// <item>Each request is charged, when it arrives, prompt tokens + <c>max_tokens</c> (or the default when unset);
/// the charge is never refunded, as on Azure.</item>
/// <item>Tokens: the charges admitted in any sliding 10-second window may not exceed TPM / 6.</item>
/// <item>Requests: the requests admitted in any sliding 1-second window may not exceed max(1, RPM / 60).</item>
/// <item>Consequently no sliding minute ever exceeds TPM or RPM. A single request larger than the 10-second
/// budget is admitted only into an empty window (so it can eventually pass instead of failing forever).</item>
/// <item>A rejected request costs nothing; <c>retry-after</c> is the time until enough charges leave the window.</item>
/// <item>Remaining headers report TPM/RPM minus what was admitted in the last 60 seconds.</item>
/// </list>
/// </summary>
internal sealed class DeploymentQuota
{
    private static readonly TimeSpan TokenWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RequestWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly Queue<(DateTimeOffset At, long Tokens)> admitted = new();
    private readonly long tokensPerMinute;
    private readonly long requestsPerMinute;
    private DateTimeOffset lastAdmitted = DateTimeOffset.MinValue;

    public DeploymentQuota(int tokensPerMinute, int requestsPerMinute)
    {
        this.tokensPerMinute = tokensPerMinute;
        this.requestsPerMinute = requestsPerMinute;
        TokenWindowLimit = Math.Max(1, tokensPerMinute / 6);
        RequestWindowLimit = Math.Max(1, requestsPerMinute / 60);
    }

    public long TokenWindowLimit { get; }

    public long RequestWindowLimit { get; }

    /// <summary>
    /// Admits (and charges) or rejects a request of <paramref name="tokens"/> that arrived at <paramref name="now"/>.
    /// A request that arrived before one already admitted (it took longer to read or count) is charged at the later
    /// instant, so the charges stay in arrival order.
    /// </summary>
    public QuotaDecision TryAdmit(long tokens, DateTimeOffset now)
    {
        lock (gate)
        {
            if (lastAdmitted > now)
            {
                now = lastAdmitted;
            }

            Expire(now);
            var (windowTokens, windowRequests) = Usage(now);
            var tokensFit = windowTokens + tokens <= TokenWindowLimit || windowTokens == 0;
            var requestsFit = windowRequests + 1 <= RequestWindowLimit;
            if (tokensFit && requestsFit)
            {
                admitted.Enqueue((now, tokens));
                lastAdmitted = now;
                var (minuteTokens, minuteRequests) = MinuteUsage();
                return new QuotaDecision(true, TimeSpan.Zero, Math.Max(0, tokensPerMinute - minuteTokens), Math.Max(0, requestsPerMinute - minuteRequests), null);
            }

            var retryAfter = TimeSpan.Zero;
            if (!tokensFit)
            {
                retryAfter = TimeUntil(now, TokenWindow, t => t + tokens <= TokenWindowLimit, countTokens: true);
            }

            if (!requestsFit)
            {
                var untilRequest = TimeUntil(now, RequestWindow, r => r + 1 <= RequestWindowLimit, countTokens: false);
                retryAfter = untilRequest > retryAfter ? untilRequest : retryAfter;
            }

            var (usedTokens, usedRequests) = MinuteUsage();
            return new QuotaDecision(false, retryAfter, Math.Max(0, tokensPerMinute - usedTokens), Math.Max(0, requestsPerMinute - usedRequests),
                tokensFit ? "requests" : "tokens");
        }
    }

    /// <summary>What the remaining headers say without charging anything (for answers that are not admissions).</summary>
    public (long RemainingTokens, long RemainingRequests) Peek(DateTimeOffset now)
    {
        lock (gate)
        {
            Expire(now);
            var (tokens, requests) = MinuteUsage();
            return (Math.Max(0, tokensPerMinute - tokens), Math.Max(0, requestsPerMinute - requests));
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (admitted.Count > 0 && now - admitted.Peek().At >= Minute)
        {
            admitted.Dequeue();
        }
    }

    private (long Tokens, long Requests) Usage(DateTimeOffset now)
    {
        long tokens = 0;
        long requests = 0;
        foreach (var (at, cost) in admitted)
        {
            var age = now - at;
            if (age < TokenWindow)
            {
                tokens += cost;
            }

            if (age < RequestWindow)
            {
                requests++;
            }
        }

        return (tokens, requests);
    }

    private (long Tokens, long Requests) MinuteUsage()
    {
        long tokens = 0;
        foreach (var (_, cost) in admitted)
        {
            tokens += cost;
        }

        return (tokens, admitted.Count);
    }

    /// <summary>The wait until the window's total satisfies <paramref name="fits"/> (or the window is empty).</summary>
    private TimeSpan TimeUntil(DateTimeOffset now, TimeSpan window, Func<long, bool> fits, bool countTokens)
    {
        var inWindow = admitted.Where(a => now - a.At < window).ToList();
        var total = countTokens ? inWindow.Sum(a => a.Tokens) : inWindow.Count;
        foreach (var (at, cost) in inWindow)
        {
            total -= countTokens ? cost : 1;
            if (total == 0 || fits(total))
            {
                var wait = at + window - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1);
            }
        }

        return window;
    }
}
