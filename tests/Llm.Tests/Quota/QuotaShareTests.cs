using Microsoft.Extensions.Time.Testing;
using WildLong.Llm.Quota;

namespace WildLong.Llm.Tests.Quota;

/// <summary>
/// Quota sharing between worker processes, under a fake clock: a limiter at share 1/n admits 1/n of each window,
/// expects the other workers' use in the server's remaining headers, and the coordinators of a pool keep the shares
/// at 1/(live workers) as workers join, leave and die (a dead one's row is removed).
/// </summary>
public sealed class QuotaShareTests
{
    // 60,000 TPM → 10,000 tokens per 10 s; 6,000 RPM leaves requests out of the way.
    private static QuotaSettings Settings() => new(60_000, 6_000) { Headroom = 0, InitialConcurrency = 8, MinConcurrency = 4, MaxConcurrency = 16 };

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_limiter_at_a_third_share_admits_a_third_of_the_token_window()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        limiter.SetShare(1.0 / 3);

        using var first = await limiter.AcquireAsync(3_000, CancellationToken.None);
        var second = limiter.AcquireAsync(1_000, CancellationToken.None);
        for (var i = 0; i < 500 && limiter.Snapshot().Waiting != 1; i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(1, limiter.Snapshot().Waiting);
        Assert.False(second.IsCompleted);

        limiter.SetShare(1);
        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4_000, limiter.Snapshot().TokensInWindow);
    }

    [Fact]
    public void A_share_outside_0_to_1_is_refused()
    {
        var limiter = new QuotaLimiter(Settings(), new FakeTimeProvider());

        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.SetShare(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.SetShare(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.SetShare(double.NaN));
    }

    [Fact]
    public async Task The_other_workers_shares_in_the_remaining_header_are_not_foreign_use_but_more_is()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        limiter.SetShare(0.5);
        using var first = await limiter.AcquireAsync(1_000, CancellationToken.None);

        // The server admitted 31,000 in the last minute: our 1,000 and the other worker's half (30,000) — nothing foreign.
        limiter.ObserveRemaining(29_000, null, first.AdmittedAt);
        Assert.Equal(0, limiter.Snapshot().ForeignTokens);

        // 41,000: 10,000 more than the two workers may use together comes from someone outside the pool.
        limiter.ObserveRemaining(19_000, null, first.AdmittedAt);
        Assert.Equal(10_000, limiter.Snapshot().ForeignTokens);
    }

    [Fact]
    public async Task Coordinators_keep_each_worker_at_one_over_the_live_workers_as_they_join_leave_and_die()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryQuotaShareStore();
        var workers = Enumerable.Range(0, 3)
            .Select(i => new QuotaShareCoordinator(new QuotaLimiter(Settings(), clock), store, "pool", Interval, clock, member: $"worker-{i}"))
            .ToList();
        var other = new QuotaShareCoordinator(new QuotaLimiter(Settings(), clock), store, "another-deployment", Interval, clock, member: "elsewhere");

        // The first is alone and takes everything; the next two wait one interval at a token share, so the pool
        // never asks more than the quota while the first has not yet seen them.
        Assert.Equal(1.0, await workers[0].HeartbeatAsync(CancellationToken.None));
        Assert.Equal(QuotaShareCoordinator.SettlingShare, await workers[1].HeartbeatAsync(CancellationToken.None));
        Assert.Equal(QuotaShareCoordinator.SettlingShare, await workers[2].HeartbeatAsync(CancellationToken.None));
        Assert.Equal(1.0, await other.HeartbeatAsync(CancellationToken.None));
        Assert.Equal(1.0 / 3, await workers[0].HeartbeatAsync(CancellationToken.None), 9);
        Assert.True(1.0 / 3 + (2 * QuotaShareCoordinator.SettlingShare) <= 1);
        clock.Advance(Interval);
        Assert.Equal(1.0 / 3, await workers[1].HeartbeatAsync(CancellationToken.None), 9);
        Assert.Equal(1.0 / 3, await workers[2].HeartbeatAsync(CancellationToken.None), 9);

        // Worker 2 stops cleanly: the others grow at their next heartbeat.
        await workers[2].LeaveAsync();
        Assert.Equal(0.5, await workers[0].HeartbeatAsync(CancellationToken.None));

        // Worker 1 dies (no more heartbeats): counted until its last one is three intervals old, then not.
        await workers[1].HeartbeatAsync(CancellationToken.None);
        clock.Advance(Interval * 3 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0.5, await workers[0].HeartbeatAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1.0, await workers[0].HeartbeatAsync(CancellationToken.None));
        Assert.Equal((1.0, 1), (workers[0].Limiter.Share, workers[0].LiveMembers));
        var left = await store.HeartbeatAsync("pool", "worker-0", clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal("worker-0", Assert.Single(left).Member);
    }

    [Fact]
    public async Task A_store_that_fails_keeps_the_last_share()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        limiter.SetShare(0.25);
        var coordinator = new QuotaShareCoordinator(limiter, new FailingStore(), "pool", Interval, clock);

        Assert.Equal(0.25, await coordinator.HeartbeatAsync(CancellationToken.None));
        Assert.Equal(0.25, limiter.Share);
    }

    [Fact]
    public void The_pool_is_the_deployment_whoever_calls_it()
    {
        var a = new ModelOptions { Provider = "azure-openai", Endpoint = new Uri("https://res.openai.azure.com/"), Deployment = "gpt-4o-mini" };
        var b = new ModelOptions { Provider = "Azure-OpenAI", Endpoint = new Uri("https://RES.openai.azure.com"), Deployment = "gpt-4o-mini", Tpm = 1 };
        var c = new ModelOptions { Provider = "azure-openai", Endpoint = new Uri("https://res.openai.azure.com/"), Deployment = "gpt-4o" };

        Assert.Equal(QuotaShareCoordinator.PoolFor(a), QuotaShareCoordinator.PoolFor(b));
        Assert.NotEqual(QuotaShareCoordinator.PoolFor(a), QuotaShareCoordinator.PoolFor(c));
        Assert.DoesNotContain("openai.azure.com", QuotaShareCoordinator.PoolFor(a), StringComparison.Ordinal);
    }

    private sealed class FailingStore : IQuotaShareStore
    {
        public Task<IReadOnlyList<QuotaShareMember>> HeartbeatAsync(string pool, string member, DateTimeOffset now, CancellationToken cancellationToken)
            => throw new InvalidOperationException("storage is down");

        public Task LeaveAsync(string pool, string member, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
