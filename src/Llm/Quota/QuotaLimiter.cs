using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WildLong.Llm.Quota;

/// <summary>
/// Admits every model attempt against the deployment's quota before it is sent, so the run uses the whole quota
/// without being answered 429. Each attempt is charged what Azure charges at admission (prompt estimate + max
/// output tokens) in a token bucket (TPM/6 per 10 s) and a request bucket (RPM/60 per 1 s) that mirror the server's
/// sliding windows, and in per-minute buckets (TPM, RPM); the server's <c>x-ratelimit-remaining-*</c> headers correct
/// our view when someone else uses the same deployment; a 429 pauses all admission until its retry-after; adaptive
/// concurrency bounds requests in flight.
/// All time comes from <see cref="TimeProvider"/>, so the behaviour is deterministic under a fake clock.
/// </summary>
public sealed class QuotaLimiter
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>How many of the last admitted charges <see cref="Demand"/> averages for the typical call.</summary>
    internal const int RecentCharges = 32;

    private readonly Lock gate = new();
    private readonly QuotaSettings settings;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SlidingWindowBucket tokens;
    private readonly SlidingWindowBucket requests;
    private readonly SlidingWindowBucket tokensPerMinute;
    private readonly SlidingWindowBucket requestsPerMinute;
    private readonly AdaptiveConcurrency concurrency;
    private readonly LinkedList<Waiter> waiters = new();
    private TaskCompletionSource changed = NewSignal();
    private TaskCompletionSource startedWaiting = NewSignal();
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;
    private int inFlight;
    private long admitted;
    private long throttled;
    private long foreignTokens;
    private long foreignRequests;
    private double share = 1;

    // The last admitted charges (a ring): their mean is the whole-call unit the pool rounds shares to.
    private readonly long[] recentCharges = new long[RecentCharges];
    private int recentCount;
    private int recentNext;

    // Shares set in the last minute (oldest first; the first entry was in effect at the minute's start): what the
    // per-minute buckets and the other workers' allowance in the remaining headers must cover while shares move.
    private readonly List<(DateTimeOffset At, double Share)> shareHistory = [(DateTimeOffset.MinValue, 1)];

    // When the share was last set, changed or not: the coordinator sets it at every heartbeat that reached the pool.
    private DateTimeOffset shareSetAt = DateTimeOffset.MinValue;

    public QuotaLimiter(QuotaSettings settings, TimeProvider time, ILogger<QuotaLimiter>? logger = null)
    {
        this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        var tokenWindow = settings.TokenWindow + settings.WindowMargin;
        var requestWindow = settings.RequestWindow + settings.WindowMargin;
        var minute = Minute + settings.WindowMargin;
        tokens = new SlidingWindowBucket(settings.TokenWindowBudget, tokenWindow, tokenWindow);
        requests = new SlidingWindowBucket(settings.RequestWindowBudget, requestWindow, requestWindow);
        tokensPerMinute = new SlidingWindowBucket(MinuteBudget(settings.Tpm, 1), minute, minute + minute);
        requestsPerMinute = new SlidingWindowBucket(MinuteBudget(settings.Rpm, 1), minute, minute + minute);
        concurrency = new AdaptiveConcurrency(settings.InitialConcurrency, settings.MinConcurrency, settings.MaxConcurrency, settings.DecreaseFactor);
    }

    public QuotaSettings Settings => settings;

    /// <summary>The share of the deployment's quota this limiter may use (1 unless <see cref="SetShare"/> said otherwise).</summary>
    public double Share
    {
        get
        {
            lock (gate)
            {
                return share;
            }
        }
    }

    /// <summary>
    /// Completes when a call has to wait in this limiter while no other call was waiting: a worker that had no work,
    /// or all the quota its work needed, now wants more. <see cref="QuotaShareCoordinator"/> heartbeats then instead of
    /// at its next interval, so the pool hears of the demand up to an interval sooner. A new task after each.
    /// </summary>
    public Task CallsStartedWaiting
    {
        get
        {
            lock (gate)
            {
                return startedWaiting.Task;
            }
        }
    }

    /// <summary>
    /// Sets the share of the deployment's TPM and RPM this process may use, when several processes call one deployment
    /// (<see cref="QuotaShareCoordinator"/> sets it from the pool: by demand, long calls in turns): every window's budget becomes that
    /// share of the quota. The fast path stays in process; only the budgets change.
    /// </summary>
    public void SetShare(double value)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A quota share is more than 0 and at most 1.");
        }

        lock (gate)
        {
            var now = time.GetUtcNow();
            shareSetAt = now;
            if (value == share)
            {
                return;
            }

            share = value;
            shareHistory.Add((now, value));
            // Rounded down, but not below a whole token that floating point put a hair under.
            tokens.Resize(Math.Max(1, (long)Math.Floor((settings.TokenWindowBudget * value) + 1e-6)));
            requests.Resize(Math.Max(1, (long)Math.Floor((settings.RequestWindowBudget * value) + 1e-6)));
            ResizeMinuteBuckets(now);
            Signal();
        }
    }

    /// <summary>
    /// What this worker asks of a shared deployment now, for <see cref="QuotaShareCoordinator"/>: its use of the token
    /// window, the charges waiting, the oldest waiting charge larger than <paramref name="oversizedAbove"/> tokens
    /// (the coordinator passes the smaller of the worker's fair part and its rounded split: a call that needs a turn
    /// at a larger share), the mean of the last <see cref="RecentCharges"/> admitted charges up to
    /// <paramref name="typicalUpTo"/> tokens (default: <paramref name="oversizedAbove"/>), and the oldest waiting
    /// charge up to that size (the next call).
    /// </summary>
    public QuotaDemand Demand(long oversizedAbove, long? typicalUpTo = null)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var typicalLimit = typicalUpTo ?? oversizedAbove;
            long queued = 0;
            Waiter? oversized = null;
            Waiter? next = null;
            foreach (var waiter in waiters)
            {
                queued += waiter.Tokens;
                if (oversized is null && waiter.Tokens > oversizedAbove)
                {
                    oversized = waiter;
                }

                if (next is null && waiter.Tokens <= typicalLimit)
                {
                    next = waiter;
                }
            }

            long sum = 0;
            var count = 0;
            for (var i = 0; i < recentCount; i++)
            {
                if (recentCharges[i] <= typicalLimit)
                {
                    sum += recentCharges[i];
                    count++;
                }
            }

            return new QuotaDemand(settings.TokenWindowBudget, tokens.Capacity, tokens.InWindow(now), queued, oversized?.Tokens ?? 0, oversized?.Since)
            {
                TypicalCall = count > 0 ? sum / count : 0,
                NextCall = next?.Tokens ?? 0,
            };
        }
    }

    /// <summary>
    /// Waits until an attempt charging <paramref name="tokenCharge"/> tokens fits the quota and a concurrency slot is
    /// free, then takes both. Dispose the lease when the attempt ends.
    /// </summary>
    public async Task<QuotaLease> AcquireAsync(long tokenCharge, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCharge);
        var waiter = new Waiter(tokenCharge, time.GetUtcNow());
        LinkedListNode<Waiter> node;
        lock (gate)
        {
            node = waiters.AddLast(waiter);
        }

        var done = false;
        var firstAttempt = true;
        try
        {
            while (true)
            {
                TimeSpan? delay;
                Task signal;
                lock (gate)
                {
                    var now = time.GetUtcNow();
                    delay = TryAdmit(node, now);
                    if (delay is null)
                    {
                        waiters.Remove(node);
                        object?[] charges = [tokens.Take(tokenCharge, now), tokensPerMinute.Take(tokenCharge, now), requests.Take(1, now), requestsPerMinute.Take(1, now)];
                        inFlight++;
                        admitted++;
                        recentCharges[recentNext] = tokenCharge;
                        recentNext = (recentNext + 1) % RecentCharges;
                        recentCount = Math.Min(recentCount + 1, RecentCharges);
                        done = true;
                        Signal();
                        return new QuotaLease(this, tokenCharge, now, charges);
                    }

                    signal = changed.Task;
                    if (firstAttempt && waiters.Count == 1)
                    {
                        var previous = startedWaiting;
                        startedWaiting = NewSignal();
                        previous.TrySetResult();
                    }

                    firstAttempt = false;
                }

                await WaitAsync(signal, delay.Value, cancellationToken);
            }
        }
        finally
        {
            if (!done)
            {
                lock (gate)
                {
                    waiters.Remove(node);
                    Signal();
                }
            }
        }
    }

    /// <summary>
    /// The attempt's request is leaving for the server now: its charges move from admission time to now, so our
    /// windows end when the server's do even when sending lagged admission.
    /// </summary>
    public void MarkSent(QuotaLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (gate)
        {
            var now = time.GetUtcNow();
            lease.SentAt = now;
            tokens.Restamp(lease.Charges[0], now);
            tokensPerMinute.Restamp(lease.Charges[1], now);
            requests.Restamp(lease.Charges[2], now);
            requestsPerMinute.Restamp(lease.Charges[3], now);
        }
    }

    /// <summary>
    /// Learns from the server's remaining headers. The server reports quota minus what it admitted in the last minute;
    /// when that says less is left than our own charges and the other sharing workers' shares explain (another client, a process that does not share, a deployment whose
    /// real quota is below the configured one), the difference is charged as foreign use: in full to the per-minute
    /// bucket, and pro rata (window / minute) to the short window, assuming the foreign use was spread over the minute.
    /// The server is right about its own quota.
    /// </summary>
    public void ObserveRemaining(long? remainingTokens, long? remainingRequests, DateTimeOffset? sentAt)
    {
        lock (gate)
        {
            // Our side of the comparison is everything we charged from a minute before this request left until now:
            // a superset of our requests the server can have counted when it stamped the header (it may have
            // received requests we sent after this one first). So a deficit is a lower bound on foreign use, never
            // an artefact of concurrency.
            var now = time.GetUtcNow();
            var from = (sentAt ?? now) - Minute;
            if (remainingTokens is { } rt)
            {
                var deficit = settings.Tpm - rt - tokensPerMinute.TakenBetween(from, now) - OthersAllowance(settings.Tpm);
                if (deficit > settings.Tpm * settings.RemainingTolerance)
                {
                    tokensPerMinute.Take(deficit, now);
                    tokens.Take(ProRata(deficit, settings.TokenWindow), now);
                    foreignTokens += deficit;
                    LogForeign("tokens", deficit, rt);
                }
            }

            if (remainingRequests is { } rr)
            {
                var deficit = settings.Rpm - rr - requestsPerMinute.TakenBetween(from, now) - OthersAllowance(settings.Rpm);
                if (deficit > Math.Max(1, settings.Rpm * settings.RemainingTolerance))
                {
                    requestsPerMinute.Take(deficit, now);
                    requests.Take(ProRata(deficit, settings.RequestWindow), now);
                    foreignRequests += deficit;
                    LogForeign("requests", deficit, rr);
                }
            }
        }
    }

    /// <summary>A 429: stop admitting until the server's retry-after has passed, and lower concurrency (once per window).</summary>
    public void ObserveThrottled(TimeSpan? retryAfter)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var pause = retryAfter is { } r && r > TimeSpan.Zero ? r : settings.DefaultPause;
            throttled++;
            if (now + pause > pausedUntil)
            {
                pausedUntil = now + pause;
            }

            if (concurrency.OnThrottled(now, pause) && logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("429 from the model endpoint: pausing admission for {Pause} ms; concurrency now {Limit}",
                    (long)pause.TotalMilliseconds, concurrency.Limit);
            }

            Signal();
        }
    }

    public QuotaLimiterSnapshot Snapshot()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return new QuotaLimiterSnapshot(concurrency.Limit, inFlight, waiters.Count, pausedUntil, tokens.InWindow(now), requests.InWindow(now),
                admitted, throttled, concurrency.Decreases, foreignTokens, foreignRequests);
        }
    }

    internal void Release(QuotaLease lease)
    {
        lock (gate)
        {
            inFlight--;
            if (lease.Succeeded)
            {
                concurrency.OnSuccess();
            }

            Signal();
        }
    }

    /// <summary>Null when <paramref name="node"/> may go now; otherwise how long to sleep before looking again
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: until something changes).</summary>
    private TimeSpan? TryAdmit(LinkedListNode<Waiter> node, DateTimeOffset now)
    {
        if (now < pausedUntil)
        {
            return pausedUntil - now;
        }

        // A charge larger than this worker's part of a shared window waits for the pool to give it a larger share
        // (QuotaShareCoordinator's turn for long calls), however long the queue of long calls before it: sent into
        // this worker's empty window it would overshoot the pool by what the others use. Only when the share has not
        // been set for OversizedWait (the pool cannot be reached) does it go into an empty window, as alone.
        if (share < 1 && node.Value.Tokens > tokens.Capacity && now - shareSetAt < settings.OversizedWait)
        {
            return shareSetAt + settings.OversizedWait - now;
        }

        // The oldest waiter holds a reservation only when it can pass at this share; one waiting for a larger share
        // must not stop the smaller ones that keep this worker's part of the window in use.
        var head = waiters.First!;
        if (head != node && now - head.Value.Since >= settings.ReservationAfter
            && (share >= 1 || head.Value.Tokens <= tokens.Capacity)
            && !FitsBesideReservation(head.Value.Tokens, node.Value.Tokens, now))
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (inFlight >= concurrency.Limit)
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (shareHistory.Count > 1 && now - shareHistory[1].At >= Minute)
        {
            ResizeMinuteBuckets(now);
        }

        var wait = Longest(
            tokens.TimeUntilFits(node.Value.Tokens, now),
            tokensPerMinute.TimeUntilFits(node.Value.Tokens, now),
            requests.TimeUntilFits(1, now),
            requestsPerMinute.TimeUntilFits(1, now));
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>
    /// Backfilling with a reservation for the oldest waiter once it has waited <see cref="QuotaSettings.ReservationAfter"/>:
    /// its earliest admission time is when enough charges have left the token window; a later waiter may go first
    /// only if its charge fits into what the window will still have free at that moment, so it never delays the
    /// oldest one. Large prompts cannot starve, and small ones fill the gaps beside them. (Before that, later
    /// waiters that fit go freely: reserving at once would leave the window part-empty whenever a large prompt
    /// heads the queue.)
    /// </summary>
    private bool FitsBesideReservation(long headTokens, long tokensNow, DateTimeOffset now)
    {
        var headAt = now + tokens.TimeUntilFits(headTokens, now);
        var slack = tokens.Capacity - headTokens - tokens.InWindowAt(headAt);
        return tokensNow <= slack;
    }

    private static TimeSpan Longest(params ReadOnlySpan<TimeSpan> waits)
    {
        var longest = TimeSpan.Zero;
        foreach (var wait in waits)
        {
            longest = wait > longest ? wait : longest;
        }

        return longest;
    }

    private long MinuteBudget(int quota, double part) => Math.Max(1, (long)(quota * (1 - settings.Headroom) * part));

    /// <summary>
    /// The per-minute buckets cover the largest share held in the last minute: the short windows bound this worker
    /// to its current share already, and a worker that just gave back a large share (a long call's turn) must not be
    /// held for a minute by what it used under that share.
    /// </summary>
    private void ResizeMinuteBuckets(DateTimeOffset now)
    {
        while (shareHistory.Count > 1 && now - shareHistory[1].At >= Minute)
        {
            shareHistory.RemoveAt(0);
        }

        var largest = shareHistory.Max(h => h.Share);
        tokensPerMinute.Resize(MinuteBudget(settings.Tpm, largest));
        requestsPerMinute.Resize(MinuteBudget(settings.Rpm, largest));
    }

    /// <summary>
    /// What the other workers sharing the deployment may have used in the last minute: not foreign use. Their part
    /// is what this worker's smallest share of that minute left them.
    /// </summary>
    private long OthersAllowance(int quota) => (long)(quota * (1 - shareHistory.Min(h => h.Share)));

    private static long ProRata(long amount, TimeSpan window) => (long)Math.Ceiling(amount * (window / Minute));

    private async Task WaitAsync(Task signal, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sleep = Task.Delay(delay, time, stop.Token);
        await Task.WhenAny(signal, sleep);
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Signal()
    {
        var previous = changed;
        changed = NewSignal();
        previous.TrySetResult();
    }

    private void LogForeign(string what, long deficit, long remaining)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("The server reports {Remaining} {What} remaining, {Deficit} fewer than our own use explains; charging them as foreign use",
                remaining, what, deficit);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Waiter(long Tokens, DateTimeOffset Since);
}
