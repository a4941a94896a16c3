using Microsoft.Extensions.Time.Testing;
using WildLong.Llm.Quota;
using static WildLong.Llm.Tests.Support.QuotaWaits;

namespace WildLong.Llm.Tests.Quota;

/// <summary>
/// The limiter's arithmetic under a fake clock: nothing here waits for real time. A waiter that must wait is
/// checked to be still waiting after the clock moved to just before its turn, and to complete once it moved past.
/// </summary>
public sealed class QuotaLimiterTests
{
    // 60,000 TPM → 10,000 tokens per 10 s; 120 RPM → 2 requests per second; windows end 100 ms later on our side.
    private static QuotaSettings Settings(int tpm = 60_000, int rpm = 120) => new(tpm, rpm) { Headroom = 0, InitialConcurrency = 8, MinConcurrency = 4, MaxConcurrency = 16 };

    private static readonly TimeSpan Margin = new QuotaSettings(1, 1).WindowMargin;

    [Fact]
    public async Task A_charge_that_would_overfill_the_10_second_window_waits_until_the_first_charge_leaves_it()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        using var first = await limiter.AcquireAsync(6_000, CancellationToken.None);

        var second = limiter.AcquireAsync(5_000, CancellationToken.None);
        using var lease = await AdmittedExactlyAfterAsync(limiter, clock, second, TimeSpan.FromSeconds(10) + Margin);
        Assert.Equal(clock.GetUtcNow(), lease.AdmittedAt);
    }

    [Fact]
    public async Task Charges_that_fit_together_are_admitted_at_once_up_to_the_window_budget()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(rpm: 6_000), clock);

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => limiter.AcquireAsync(2_500, CancellationToken.None)));

        Assert.Equal(10_000, limiter.Snapshot().TokensInWindow);
        Assert.All(leases, l => Assert.Equal(clock.GetUtcNow(), l.AdmittedAt));
        var fifth = limiter.AcquireAsync(1, CancellationToken.None);
        await ParkedAsync(limiter, 1);
        Assert.False(fifth.IsCompleted);
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }

    [Fact]
    public async Task The_request_bucket_allows_rpm_over_60_per_second()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        using var a = await limiter.AcquireAsync(10, CancellationToken.None);
        using var b = await limiter.AcquireAsync(10, CancellationToken.None);

        var third = limiter.AcquireAsync(10, CancellationToken.None);
        (await AdmittedExactlyAfterAsync(limiter, clock, third, TimeSpan.FromSeconds(1) + Margin)).Dispose();
    }

    [Fact]
    public async Task A_request_larger_than_the_window_budget_is_admitted_into_an_empty_window()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        var small = await limiter.AcquireAsync(100, CancellationToken.None);
        small.Dispose();

        var huge = limiter.AcquireAsync(25_000, CancellationToken.None);
        await ParkedAsync(limiter, 1);
        Assert.False(huge.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(10) + Margin);
        using var lease = await huge.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(25_000, lease.Tokens);
    }

    [Fact]
    public async Task Remaining_header_lower_than_our_own_use_explains_is_charged_as_foreign_use()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        using var first = await limiter.AcquireAsync(1_000, CancellationToken.None);

        // The server has admitted 31,000 tokens in the last minute, of which we sent 1,000: 30,000 are someone else's.
        limiter.ObserveRemaining(29_000, null, first.AdmittedAt);

        var snapshot = limiter.Snapshot();
        Assert.Equal(30_000, snapshot.ForeignTokens);
        // A sixth of the minute's foreign use lands in the 10-second window: 1,000 + 5,000.
        Assert.Equal(6_000, snapshot.TokensInWindow);
        var next = limiter.AcquireAsync(5_000, CancellationToken.None);
        await ParkedAsync(limiter, 1);
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(10) + Margin);
        (await next.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task Remaining_header_that_matches_our_own_use_changes_nothing()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        using var first = await limiter.AcquireAsync(4_000, CancellationToken.None);

        limiter.ObserveRemaining(56_000, 119, first.AdmittedAt);

        var snapshot = limiter.Snapshot();
        Assert.Equal((0L, 0L, 4_000L), (snapshot.ForeignTokens, snapshot.ForeignRequests, snapshot.TokensInWindow));
        using var second = await limiter.AcquireAsync(6_000, CancellationToken.None);
    }

    [Fact]
    public async Task Foreign_use_already_accounted_for_is_not_charged_twice()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(tpm: 600_000), clock);
        using var first = await limiter.AcquireAsync(1_000, CancellationToken.None);
        limiter.ObserveRemaining(500_000, null, first.AdmittedAt);
        clock.Advance(TimeSpan.FromSeconds(1));
        using var second = await limiter.AcquireAsync(1_000, CancellationToken.None);

        limiter.ObserveRemaining(498_000, null, second.AdmittedAt);

        Assert.Equal(99_000, limiter.Snapshot().ForeignTokens);
    }

    [Fact]
    public async Task A_429_pauses_all_admission_until_its_retry_after()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);

        limiter.ObserveThrottled(TimeSpan.FromSeconds(2));
        var waiting = Enumerable.Range(0, 3).Select(_ => limiter.AcquireAsync(10, CancellationToken.None)).ToList();
        await ParkedAsync(limiter, 3);
        clock.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        await ParkedAsync(limiter, 3);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        // Two pass at once (the request bucket holds 2 per second); the third follows a second later.
        await WhenCompletedAsync(waiting, 2);
        clock.Advance(TimeSpan.FromSeconds(1) + Margin);
        var leases = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(leases, l => l.Dispose());
    }

    [Fact]
    public async Task A_later_429_with_a_shorter_wait_does_not_shorten_the_pause()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);

        limiter.ObserveThrottled(TimeSpan.FromSeconds(5));
        limiter.ObserveThrottled(TimeSpan.FromSeconds(1));

        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(5), limiter.Snapshot().PausedUntil);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Concurrency_never_drops_below_the_floor_under_a_429_storm_and_admission_goes_on()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(tpm: 6_000_000, rpm: 600_000), clock);

        // Ten windows of storm, each window a hundred 429s answering the same overload.
        for (var window = 0; window < 10; window++)
        {
            for (var i = 0; i < 100; i++)
            {
                limiter.ObserveThrottled(TimeSpan.FromMilliseconds(500));
            }

            Assert.True(limiter.Snapshot().ConcurrencyLimit >= 4);
            clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        var snapshot = limiter.Snapshot();
        Assert.Equal(4, snapshot.ConcurrencyLimit);
        Assert.Equal(10, snapshot.ConcurrencyDecreases);
        Assert.Equal(1_000, snapshot.Throttled);

        // Four attempts run side by side after the storm; a fifth waits for one of them to finish.
        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => limiter.AcquireAsync(10, CancellationToken.None))).WaitAsync(TimeSpan.FromSeconds(10));
        var fifth = limiter.AcquireAsync(10, CancellationToken.None);
        await ParkedAsync(limiter, 1);
        Assert.False(fifth.IsCompleted);
        leases[0].Dispose();
        (await fifth.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        foreach (var lease in leases.Skip(1))
        {
            lease.Dispose();
        }
    }

    [Fact]
    public async Task Successes_raise_concurrency_additively_up_to_the_ceiling()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(tpm: 60_000_000, rpm: 6_000_000), clock);

        // +1/limit per success: eight successes at 8 add just under 1, the ninth completes the step.
        for (var i = 0; i < 9; i++)
        {
            using var lease = await limiter.AcquireAsync(10, CancellationToken.None);
            lease.MarkSucceeded();
        }

        Assert.Equal(9, limiter.Snapshot().ConcurrencyLimit);
        for (var i = 0; i < 1_000; i++)
        {
            using var lease = await limiter.AcquireAsync(10, CancellationToken.None);
            lease.MarkSucceeded();
        }

        Assert.Equal(16, limiter.Snapshot().ConcurrencyLimit);
    }

    [Fact]
    public async Task Smaller_requests_overtake_a_waiting_large_one_only_where_they_do_not_delay_it()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(rpm: 60_000) with { ReservationAfter = TimeSpan.Zero }, clock);
        (await limiter.AcquireAsync(6_000, CancellationToken.None)).Dispose();

        // The large one can go at 10.1 s, when the 6,000 leave the window; then it leaves 2,000 free.
        var large = limiter.AcquireAsync(8_000, CancellationToken.None);
        await ParkedAsync(limiter, 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await limiter.AcquireAsync(1_500, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));
        // 1,000 would fit the window now, but would still be in it at 10.1 s, where only 500 are free.
        var blocked = limiter.AcquireAsync(1_000, CancellationToken.None);
        await ParkedAsync(limiter, 2);
        Assert.False(blocked.IsCompleted);
        (await limiter.AcquireAsync(500, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();

        clock.Advance(TimeSpan.FromSeconds(8) + Margin);
        (await large.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        await ParkedAsync(limiter, 1);
        Assert.False(blocked.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await blocked.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task Before_the_reservation_starts_smaller_requests_that_fit_go_first_even_if_they_delay_the_oldest()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(rpm: 60_000) with { ReservationAfter = TimeSpan.FromSeconds(5) }, clock);
        (await limiter.AcquireAsync(6_000, CancellationToken.None)).Dispose();
        var large = limiter.AcquireAsync(7_000, CancellationToken.None);
        await ParkedAsync(limiter, 1);

        clock.Advance(TimeSpan.FromSeconds(4));
        (await limiter.AcquireAsync(3_000, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        clock.Advance(TimeSpan.FromMilliseconds(500));
        // With the large one reserved, nothing would be free for this at 10.1 s; it has waited only 4.5 s, so it goes.
        (await limiter.AcquireAsync(500, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();

        clock.Advance(TimeSpan.FromSeconds(5.5) + Margin);
        await ParkedAsync(limiter, 1);
        Assert.False(large.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(4));
        (await AdmittedAsync(large, clock, TimeSpan.FromSeconds(4))).Dispose();
    }

    /// <summary>
    /// Waits for a waiter the last clock step made due. On a loaded machine the waiter may have set its next timer only
    /// after that step (it was still handling the previous wake-up), and a fake-clock timer set late counts from the
    /// later instant: then the same step once more lets it fire. It must not be admitted before its time — the tests
    /// check that separately — only not be lost.
    /// </summary>
    private static async Task<QuotaLease> AdmittedAsync(Task<QuotaLease> waiter, FakeTimeProvider clock, TimeSpan step)
    {
        if (await Task.WhenAny(waiter, Task.Delay(TimeSpan.FromSeconds(2))) != waiter)
        {
            clock.Advance(step);
        }

        return await waiter.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_request_sent_later_than_admitted_holds_the_window_from_when_it_was_sent()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        var lease = await limiter.AcquireAsync(10_000, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3));
        limiter.MarkSent(lease);
        lease.Dispose();

        var next = limiter.AcquireAsync(100, CancellationToken.None);
        (await AdmittedExactlyAfterAsync(limiter, clock, next, TimeSpan.FromSeconds(10) + Margin)).Dispose();
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        using var first = await limiter.AcquireAsync(10_000, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(10, cancel.Token);
        await ParkedAsync(limiter, 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, limiter.Snapshot().Waiting);
    }

    /// <summary>Lets the waiters reach their sleep before the fake clock moves (they are woken by timers on that clock).</summary>
    private static async Task WhenCompletedAsync(IReadOnlyList<Task<QuotaLease>> tasks, int count)
    {
        for (var i = 0; i < 1_000 && tasks.Count(t => t.IsCompleted) < count; i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(count, tasks.Count(t => t.IsCompleted));
    }
}
