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
    public async Task Coordinators_split_the_quota_as_workers_join_leave_and_die_and_never_claim_more_than_all_of_it()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryQuotaShareStore();
        var workers = Pool(clock, store);
        var other = new QuotaShareCoordinator(new QuotaLimiter(Settings(), clock), store, "another-deployment", Interval, clock, member: "elsewhere");

        // The first is alone: a token share at its first heartbeat, everything from its second. The next two start at
        // a token share and grow only into room the others no longer claim, so the pool never asks more than the quota.
        Assert.Equal(QuotaShareCoordinator.SettlingShare, await workers[0].HeartbeatAsync(CancellationToken.None));
        Assert.Equal(QuotaShareCoordinator.SettlingShare, await other.HeartbeatAsync(CancellationToken.None));
        clock.Advance(Interval);
        Assert.Equal(1.0, await workers[0].HeartbeatAsync(CancellationToken.None));
        Assert.Equal(1.0, await other.HeartbeatAsync(CancellationToken.None));
        Assert.Equal(QuotaShareCoordinator.SettlingShare, await workers[1].HeartbeatAsync(CancellationToken.None));
        Assert.Equal(QuotaShareCoordinator.SettlingShare, await workers[2].HeartbeatAsync(CancellationToken.None));
        for (var round = 0; round < 4; round++)
        {
            clock.Advance(Interval);
            foreach (var worker in workers)
            {
                await worker.HeartbeatAsync(CancellationToken.None);
                Assert.True(workers.Sum(w => w.Limiter.Share) <= 1 + 1e-9, $"shares {string.Join(", ", workers.Select(w => w.Limiter.Share))} in round {round}");
            }
        }

        Assert.All(workers, w => Assert.Equal(1.0 / 3, w.Limiter.Share, 9));

        // Worker 2 stops cleanly: the others grow into its part.
        await workers[2].LeaveAsync();
        for (var round = 0; round < 3; round++)
        {
            clock.Advance(Interval);
            await workers[0].HeartbeatAsync(CancellationToken.None);
            await workers[1].HeartbeatAsync(CancellationToken.None);
        }

        Assert.Equal(0.5, workers[0].Limiter.Share, 9);
        Assert.Equal(0.5, workers[1].Limiter.Share, 9);

        // Worker 1 dies (no more heartbeats): counted until its last one is Expiry old, then its part is worker 0's.
        Assert.Equal(TimeSpan.FromSeconds(10.1) + Interval, workers[0].Expiry);
        clock.Advance(workers[0].Expiry - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0.5, await workers[0].HeartbeatAsync(CancellationToken.None), 9);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1.0, await workers[0].HeartbeatAsync(CancellationToken.None));
        Assert.Equal((1.0, 1), (workers[0].Limiter.Share, workers[0].LiveMembers));
        var left = await store.HeartbeatAsync("pool", new QuotaShareMember("worker-0", clock.GetUtcNow()), CancellationToken.None);
        Assert.Equal("worker-0", Assert.Single(left).Member);
    }

    [Fact]
    public async Task Workers_that_start_together_never_take_more_than_the_quota_between_them()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryQuotaShareStore();
        var workers = Pool(clock, store);

        // Started together: each one's first heartbeat sets a token share, whoever it sees, so none takes the whole quota.
        foreach (var worker in workers)
        {
            await worker.HeartbeatAsync(CancellationToken.None);
            Assert.Equal(QuotaShareCoordinator.SettlingShare, worker.Limiter.Share);
        }

        for (var round = 0; round < 3; round++)
        {
            clock.Advance(Interval);
            foreach (var worker in workers)
            {
                await worker.HeartbeatAsync(CancellationToken.None);
                AssertPoolWithinQuota(workers);
            }
        }

        Assert.All(workers, w => Assert.Equal(1.0 / 3, w.Limiter.Share, 9));
    }

    [Fact]
    public async Task A_worker_that_shrinks_publishes_its_smaller_claim_at_once_so_a_busy_one_grows_a_heartbeat_sooner()
    {
        // Measured at the start of 3-worker runs: the idle workers held a third each; when one had work, the others
        // shrank at their next heartbeat but their rows still claimed the third until the one after, so the busy
        // worker could grow only two heartbeats later.
        var clock = new FakeTimeProvider();
        var workers = await JoinedPoolAsync(clock);

        // worker-0 gets work: two calls fill its third, eight more wait.
        var busy = workers[0].Limiter;
        using var stop = new CancellationTokenSource();
        var (admitted, waiting) = await TwoCallsAndEightWaitingAsync(busy, stop.Token);
        await WaitUntil(() => busy.Snapshot().Waiting == 8);

        // One round: worker-0 cannot grow (the others claim their thirds); the idle ones shrink to the settling share.
        await Heartbeats(workers, clock, 1);
        Assert.Equal(1.0 / 3, busy.Share, 9);
        Assert.All(workers.Skip(1), w => Assert.Equal(QuotaShareCoordinator.SettlingShare, w.Limiter.Share, 9));

        // worker-0's next heartbeat finds the room the others gave up (before: their rows claimed a third until theirs).
        clock.Advance(Interval);
        await workers[0].HeartbeatAsync(CancellationToken.None);
        Assert.True(busy.Share > 0.9, $"worker-0's share is {busy.Share:P1}");
        AssertPoolWithinQuota(workers);

        await EndAsync(admitted, stop, waiting);
    }

    [Fact]
    public async Task A_worker_that_gets_work_tells_the_pool_at_once_and_takes_the_room_within_an_interval()
    {
        // Measured at the start of 3-worker runs (2-s interval): the first worker with work held its third for 4 s —
        // its demand reached the pool at its next heartbeat, the idle ones shrank at theirs, it grew at the one after.
        var clock = new FakeTimeProvider();
        var workers = await JoinedPoolAsync(clock);

        using var stop = new CancellationTokenSource();
        var loops = workers.Select(w => w.RunAsync(stop.Token)).ToList();
        var quick = workers[0].QuickInterval;
        // A quick interval and a half after the last heartbeat (none is due): the idle workers' next one is 3.125 s off.
        await AdvanceAsync(clock, quick * 1.5, () => false);

        // worker-0 gets work: two calls fill its third, eight more wait.
        var busy = workers[0].Limiter;
        var (admitted, waiting) = await TwoCallsAndEightWaitingAsync(busy, stop.Token);

        // Its heartbeat comes at once (no time passes): it wants more than its third and says so.
        await WaitUntil(() => workers[0].Converging);
        Assert.Equal(1.0 / 3, busy.Share, 9);

        // The idle workers shrink at their next heartbeat, 3.125 s on; worker-0, heartbeating every quick interval
        // (1.25 s) meanwhile, takes the room at its first heartbeat after theirs: 3.75 s after it had work, where a
        // heartbeat an interval after its last would take 5 s. Never more than the quota on the way.
        var took = await AdvanceAsync(clock, Interval * 3, () =>
        {
            AssertPoolWithinQuota(workers);
            return busy.Share > 0.9;
        });
        Assert.True(took <= Interval - (quick / 2), $"worker-0 reached {busy.Share:P1} only {took.TotalSeconds:0.##} s after it had work");
        Assert.All(workers.Skip(1), w => Assert.Equal(QuotaShareCoordinator.SettlingShare, w.Limiter.Share, 9));

        await EndAsync(admitted, stop, waiting);
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_dead_worker_counts_at_least_a_token_window_and_an_interval_so_its_last_charges_have_left()
    {
        var coordinator = new QuotaShareCoordinator(new QuotaLimiter(Settings(), new FakeTimeProvider()), new InMemoryQuotaShareStore(), "pool", TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(100) + TimeSpan.FromSeconds(1), coordinator.Expiry);
    }

    [Fact]
    public async Task A_long_call_gets_the_pools_turn_once_the_charges_it_displaces_have_left_the_window()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryQuotaShareStore();
        var workers = Pool(clock, store);
        await Heartbeats(workers, clock, rounds: 5);
        Assert.All(workers, w => Assert.Equal(1.0 / 3, w.Limiter.Share, 9));

        // Worker 1 fills 3,000 of its 3,333; then worker 0 has an 8,000-token call. It is more than worker 0's part and
        // is not sent into worker 0's empty window, which would overshoot the pool's 10,000 by what the others use.
        using (await workers[1].Limiter.AcquireAsync(3_000, CancellationToken.None))
        {
        }

        var sentAt = clock.GetUtcNow();
        var call = workers[0].Limiter.AcquireAsync(8_000, CancellationToken.None);
        await WaitUntil(() => workers[0].Limiter.Snapshot().Waiting == 1);

        // Its turn: the others shrink at once; worker 0 grows only into what their windows no longer hold, so at no
        // heartbeat do the shares and what the windows hold add up to more than the quota.
        var turnSeen = false;
        for (var round = 0; round < 8 && !call.IsCompleted; round++)
        {
            clock.Advance(Interval);
            foreach (var worker in workers)
            {
                await worker.HeartbeatAsync(CancellationToken.None);
                turnSeen |= workers[0].HoldsTurn;
                AssertPoolWithinQuota(workers);
            }

            await Task.WhenAny(call, Task.Delay(100));
            Assert.True(!call.IsCompleted || clock.GetUtcNow() - sentAt >= TimeSpan.FromSeconds(10.1), "the long call went while worker 1's 3,000 were still in the window");
        }

        Assert.True(turnSeen);
        using var lease = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(workers[0].Limiter.Share >= 0.8 - 1e-9);

        // The call sent, the turn ends: worker 0 shrinks at once, the others grow as its 8,000 leave the window.
        for (var round = 0; round < 6; round++)
        {
            clock.Advance(Interval);
            foreach (var worker in workers)
            {
                await worker.HeartbeatAsync(CancellationToken.None);
                AssertPoolWithinQuota(workers);
            }
        }

        Assert.False(workers[0].HoldsTurn);
        Assert.All(workers, w => Assert.Equal(1.0 / 3, w.Limiter.Share, 9));
    }

    [Fact]
    public async Task A_call_larger_than_the_share_waits_for_a_larger_share_without_holding_up_smaller_ones()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings() with { ReservationAfter = TimeSpan.FromSeconds(1), OversizedWait = TimeSpan.FromSeconds(30) }, clock);
        limiter.SetShare(0.5);

        var large = limiter.AcquireAsync(8_000, CancellationToken.None);
        await WaitUntil(() => limiter.Snapshot().Waiting == 1);
        clock.Advance(TimeSpan.FromSeconds(2));

        // Past the reservation time, a small call still passes beside the large one that cannot pass at this share.
        using (await limiter.AcquireAsync(1_000, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))
        {
        }

        Assert.False(large.IsCompleted);
        Assert.Equal(8_000, limiter.Demand(5_000).Oversized);
        Assert.Equal(0, limiter.Demand(8_000).Oversized);
        Assert.Equal(8_000, limiter.Demand(8_000).Queued);

        // A share that fits it lets it go once the window has room; without one it would go after OversizedWait.
        clock.Advance(TimeSpan.FromSeconds(11));
        limiter.SetShare(0.9);
        using var lease = await large.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(8_000, limiter.Snapshot().TokensInWindow);
    }

    [Fact]
    public async Task A_call_larger_than_the_share_waits_while_the_pool_answers_and_goes_into_an_empty_window_when_it_no_longer_does()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings() with { OversizedWait = TimeSpan.FromSeconds(30) }, clock);
        limiter.SetShare(0.5);

        var large = limiter.AcquireAsync(8_000, CancellationToken.None);
        await WaitUntil(() => limiter.Snapshot().Waiting == 1);

        // Heartbeats that reach the pool keep setting the share: the call waits its turn however long that takes.
        for (var i = 0; i < 4; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(20));
            limiter.SetShare(0.5);
            await Task.Delay(50);
            Assert.False(large.IsCompleted);
        }

        // The pool stops answering: OversizedWait after the last heartbeat, the call goes into the empty window.
        clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50);
        Assert.False(large.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        using var lease = await large.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(8_000, lease.Tokens);
    }

    [Fact]
    public void The_admission_charge_counts_the_structured_output_schema_as_the_server_bills_it()
    {
        var schema = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"},"score":{"type":"integer"}},"required":["answer","score"]}""").RootElement;
        List<Microsoft.Extensions.AI.ChatMessage> messages = [new(Microsoft.Extensions.AI.ChatRole.User, "What is in the document?")];
        var plain = new Microsoft.Extensions.AI.ChatOptions { MaxOutputTokens = 100 };
        var structured = new Microsoft.Extensions.AI.ChatOptions { MaxOutputTokens = 100, ResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema(schema, "answer") };

        var schemaTokens = WildLong.Core.Documents.TokenCounter.Shared.Count(WildLong.Core.Model.SchemaText.Compact(schema));
        Assert.True(schemaTokens > 10);
        Assert.Equal(PromptTokenEstimator.AdmissionCharge(messages, plain, 50) + schemaTokens, PromptTokenEstimator.AdmissionCharge(messages, structured, 50));
    }

    /// <summary>Each worker's share, or what its window still holds if more: together never more than the whole window.</summary>
    private static void AssertPoolWithinQuota(List<QuotaShareCoordinator> workers)
    {
        var used = workers.Sum(w =>
        {
            var demand = w.Limiter.Demand(long.MaxValue);
            return Math.Max(w.Limiter.Share, (double)demand.InWindow / demand.WindowBudget);
        });
        Assert.True(used <= 1 + 1e-9, $"the pool may fill {used:P1} of the window: shares {string.Join(", ", workers.Select(w => w.Limiter.Share.ToString("0.###")))}");
    }

    [Fact]
    public void Targets_split_by_demand_and_give_the_oldest_long_call_its_turn()
    {
        var now = DateTimeOffset.UnixEpoch;
        var busy = new QuotaShareMember("busy", now) { Demand = 1 };
        var light = new QuotaShareMember("light", now) { Demand = 0.1 };
        var idle = new QuotaShareMember("idle", now) { Demand = 0.01 };

        var byDemand = QuotaShareCoordinator.Targets([busy, light, idle], out var noTurn, out _);
        Assert.Null(noTurn);
        Assert.Equal(0.89, byDemand["busy"], 9);
        Assert.Equal(0.1, byDemand["light"], 9);
        Assert.Equal(0.01, byDemand["idle"], 9);
        Assert.Equal(1, byDemand.Values.Sum(), 9);

        var younger = new QuotaShareMember("younger", now) { Demand = 1, Need = 0.9, NeedSince = now.AddSeconds(-1) };
        var older = new QuotaShareMember("older", now) { Demand = 1, Need = 0.6, NeedSince = now.AddSeconds(-30) };
        var turns = QuotaShareCoordinator.Targets([younger, older, busy], out var turn, out _);
        Assert.Equal("older", turn);
        Assert.Equal(0.6, turns["older"], 9);
        Assert.Equal(0.2, turns["younger"], 9);
        Assert.Equal(0.2, turns["busy"], 9);
    }

    [Fact]
    public void Targets_round_to_whole_calls_and_the_same_member_keeps_the_spare_one()
    {
        var now = DateTimeOffset.UnixEpoch;
        const double unit = 0.14; // a 1,400-token call in a 10,000-token window: the window holds 7, a third of it 2
        QuotaShareMember[] pool =
        [
            new("worker-c", now) { Demand = 1, Unit = unit },
            new("worker-a", now) { Demand = 1, Unit = 0.1 },
            new("worker-b", now) { Demand = 1 },
        ];

        // Each member in calls of its own size (worker-b, without a call yet, in the largest): worker-a's three
        // 0.1-wide calls, worker-c's two; the spare 0.14 goes to worker-b (remainder tied with worker-c, then by id).
        foreach (var order in new[] { pool, pool.Reverse().ToArray() })
        {
            var targets = QuotaShareCoordinator.Targets(order, out _, out _);
            Assert.Equal(3 * 0.1, targets["worker-a"], 9);
            Assert.Equal(3 * unit, targets["worker-b"], 9);
            Assert.Equal(2 * unit, targets["worker-c"], 9);
            Assert.Equal(1, targets.Values.Sum(), 9);
        }

        // The spare call goes to a member that wants more than its part (worker-b: 3.86 calls wide, worker-a's 2.93
        // are all it asks for), and one that asks for less than a call keeps what it asks for.
        QuotaShareMember[] uneven =
        [
            new("worker-a", now) { Demand = 0.41, Unit = unit },
            new("worker-b", now) { Demand = 1, Unit = unit },
            new("worker-c", now) { Demand = 0.05 },
        ];
        var split = QuotaShareCoordinator.Targets(uneven, out _, out _);
        Assert.Equal(0.05, split["worker-c"], 9);
        var rest = (1 - 0.05 - (6 * unit)) / 2;
        Assert.Equal((2 * unit) + rest, split["worker-a"], 9);
        Assert.Equal((4 * unit) + rest, split["worker-b"], 9);

        // Without a unit (no call made yet) the targets stay as split.
        var unrounded = QuotaShareCoordinator.Targets([pool[1] with { Unit = null }, pool[2], pool[0] with { Unit = null }], out _, out _);
        Assert.All(unrounded.Values, t => Assert.Equal(1.0 / 3, t, 9));
    }

    [Fact]
    public void A_next_call_larger_than_the_unit_gets_the_difference_from_the_room_whole_calls_leave()
    {
        // Measured (3 workers, 2026-12-03 18:11:56): worker-a held two calls' worth (2 × 6,496 + its part of the
        // room: 14,008 tokens) with a 6,723-token call in its window; its next call, 7,889 tokens, did not fit beside
        // it and waited 10 s for that call to leave, a call's width idle for a window.
        var now = DateTimeOffset.UnixEpoch;
        QuotaShareMember[] pool =
        [
            new("worker-a", now) { Demand = 1, Unit = 6496 / 49500.0, Claim = 0.28, Next = 7889 / 49500.0 },
            new("worker-b", now) { Demand = 1, Unit = 6755 / 49500.0, Claim = 0.43 },
            new("worker-c", now) { Demand = 1, Unit = 6618 / 49500.0, Claim = 0.29 },
        ];

        var targets = QuotaShareCoordinator.Targets(pool, out _, out _);

        Assert.True(targets["worker-a"] * 49500 >= 6723 + 7889, $"worker-a's share holds {targets["worker-a"] * 49500:F0} tokens");
        Assert.True(targets["worker-b"] >= 3 * pool[1].Unit!.Value);
        Assert.True(targets["worker-c"] >= 2 * pool[2].Unit!.Value);
        Assert.True(targets.Values.Sum() <= 1 + 1e-9);

        // Without a larger next call the room is split evenly, as before.
        var even = QuotaShareCoordinator.Targets([pool[0] with { Next = null }, pool[1], pool[2]], out _, out _);
        Assert.True(even["worker-a"] * 49500 < 6723 + 7889);
    }

    [Fact]
    public void The_member_that_holds_the_extra_call_keeps_it_while_typical_calls_drift()
    {
        // Measured: with each member's own unit the remainders reordered every few heartbeats and the extra call
        // hopped between workers, each hop idling a call's width for a window.
        var now = DateTimeOffset.UnixEpoch;
        QuotaShareMember[] pool =
        [
            new("worker-a", now) { Demand = 1, Unit = 6567 / 49500.0, Claim = 0.29 },
            new("worker-b", now) { Demand = 1, Unit = 6504 / 49500.0, Claim = 0.42 },
            new("worker-c", now) { Demand = 1, Unit = 6558 / 49500.0, Claim = 0.29 },
        ];

        var targets = QuotaShareCoordinator.Targets(pool, out _, out _);
        Assert.True(targets["worker-b"] >= 3 * pool[1].Unit!.Value);

        // worker-a's calls shrank below worker-b's: by remainder alone it would take the extra call now.
        var drifted = QuotaShareCoordinator.Targets([pool[0] with { Unit = 6400 / 49500.0 }, pool[1], pool[2]], out _, out _);
        Assert.True(drifted["worker-b"] >= 3 * pool[1].Unit!.Value);
        Assert.True(drifted["worker-a"] < 3 * 6400 / 49500.0);
    }

    [Fact]
    public void Calls_of_different_sizes_are_rounded_each_to_its_own_size_seven_a_window_not_six()
    {
        // Measured at the start of a 3-worker run: typical calls of 7,148, 7,122 and 6,345 tokens in a 49,500-token
        // window. Rounded to the largest, every member held two (six a window); the smallest caller's third fits.
        var now = DateTimeOffset.UnixEpoch;
        QuotaShareMember[] pool =
        [
            new("worker-a", now) { Demand = 1, Unit = 7148 / 49500.0 },
            new("worker-b", now) { Demand = 1, Unit = 7122 / 49500.0 },
            new("worker-c", now) { Demand = 1, Unit = 6345 / 49500.0 },
        ];

        var targets = QuotaShareCoordinator.Targets(pool, out _, out _);
        var calls = pool.Sum(m => Math.Floor((targets[m.Member] / m.Unit!.Value) + 1e-9));
        Assert.Equal(7, calls);
        Assert.Equal(3, Math.Floor((targets["worker-c"] / pool[2].Unit!.Value) + 1e-9));
        Assert.True(targets.Values.Sum() <= 1 + 1e-9);
    }

    [Fact]
    public async Task Three_workers_with_calls_a_third_of_the_window_cannot_hold_twice_pass_seven_per_window_not_six()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryQuotaShareStore();
        var workers = Pool(clock, store);

        // Each worker has made one call of 1,400 tokens (before it joined; the charge has left the window since): its
        // typical call, published as its unit.
        foreach (var worker in workers)
        {
            using var lease = await worker.Limiter.AcquireAsync(1_400, CancellationToken.None);
        }

        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1_400, workers[0].Limiter.Demand(3_333).TypicalCall);
        foreach (var worker in workers)
        {
            await worker.HeartbeatAsync(CancellationToken.None);
        }

        await Heartbeats(workers, clock, 8);
        AssertPoolWithinQuota(workers);

        var callsPerWindow = workers.Select(w => w.Limiter.Demand(0).Capacity / 1_400).ToList();
        Assert.Equal([3L, 2L, 2L], callsPerWindow);
        Assert.Equal(1, workers.Sum(w => w.Limiter.Share), 6);
    }

    [Fact]
    public async Task The_typical_call_is_the_mean_of_the_last_admitted_charges_up_to_the_threshold()
    {
        var clock = new FakeTimeProvider();
        var limiter = new QuotaLimiter(Settings(), clock);
        Assert.Equal(0, limiter.Demand(5_000).TypicalCall);

        foreach (var charge in new long[] { 1_000, 3_000, 6_000 })
        {
            using var lease = await limiter.AcquireAsync(charge, CancellationToken.None);
        }

        Assert.Equal(2_000, limiter.Demand(5_000).TypicalCall);
        Assert.Equal(3_333, limiter.Demand(10_000).TypicalCall);
        Assert.Equal(3_333, limiter.Demand(0, typicalUpTo: 10_000).TypicalCall);

        // Only the last admitted charges count: after as many small ones, the large ones are forgotten.
        for (var i = 0; i < QuotaLimiter.RecentCharges; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(11));
            using var lease = await limiter.AcquireAsync(100, CancellationToken.None);
        }

        Assert.Equal(100, limiter.Demand(10_000).TypicalCall);
    }

    [Fact]
    public void A_call_its_rounded_share_cannot_hold_gets_the_turn_though_it_is_smaller_than_a_fair_part()
    {
        var now = DateTimeOffset.UnixEpoch;
        const double unit = 0.14;
        QuotaShareMember[] pool =
        [
            new("worker-a", now) { Demand = 1, Unit = unit },
            new("worker-b", now) { Demand = 1, Unit = unit, Need = 0.32, NeedSince = now.AddSeconds(-3) },
            new("worker-c", now) { Demand = 1, Unit = unit },
        ];

        // worker-b's rounded share is two calls and the slack (0.2867): its call needs 0.32, less than a third.
        var targets = QuotaShareCoordinator.Targets(pool, out var turn, out _);
        Assert.Equal("worker-b", turn);
        Assert.Equal(0.32, targets["worker-b"], 9);
        Assert.Equal(0.34, targets["worker-a"], 9);
        Assert.Equal(0.34, targets["worker-c"], 9);

        // A need its share already holds is no turn.
        var held = QuotaShareCoordinator.Targets([pool[0], pool[1] with { Need = 0.28 }, pool[2]], out var none, out _);
        Assert.Null(none);
        Assert.Equal(1, held.Values.Sum(), 9);
    }

    /// <summary>Three workers (worker-0 … worker-2) of one pool, each with its own limiter.</summary>
    private static List<QuotaShareCoordinator> Pool(FakeTimeProvider clock, InMemoryQuotaShareStore store) =>
        Enumerable.Range(0, 3)
            .Select(i => new QuotaShareCoordinator(new QuotaLimiter(Settings(), clock), store, "pool", Interval, clock, member: $"worker-{i}"))
            .ToList();

    /// <summary>Three workers of one pool (<see cref="Pool"/>), joined and at a third each.</summary>
    private static async Task<List<QuotaShareCoordinator>> JoinedPoolAsync(FakeTimeProvider clock)
    {
        var workers = Pool(clock, new InMemoryQuotaShareStore());
        await Heartbeats(workers, clock, 3); // the first round is their join
        Assert.All(workers, w => Assert.Equal(1.0 / 3, w.Limiter.Share, 9));
        return workers;
    }

    /// <summary>Work for a worker at a third: two calls fill its share, eight more wait (until <paramref name="stop"/>).</summary>
    private static async Task<(List<QuotaLease> Admitted, List<Task<QuotaLease>> Waiting)> TwoCallsAndEightWaitingAsync(QuotaLimiter limiter, CancellationToken stop)
    {
        var admitted = new List<QuotaLease> { await limiter.AcquireAsync(1_500, CancellationToken.None), await limiter.AcquireAsync(1_500, CancellationToken.None) };
        return (admitted, Enumerable.Range(0, 8).Select(_ => limiter.AcquireAsync(1_500, stop)).ToList());
    }

    /// <summary>Ends the calls of <see cref="TwoCallsAndEightWaitingAsync"/>: the admitted released, the waiting cancelled.</summary>
    private static async Task EndAsync(List<QuotaLease> admitted, CancellationTokenSource stop, List<Task<QuotaLease>> waiting)
    {
        admitted.ForEach(l => l.Dispose());
        await stop.CancelAsync();
        foreach (var task in waiting)
        {
            try
            {
                (await task).Dispose();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static async Task Heartbeats(List<QuotaShareCoordinator> workers, FakeTimeProvider clock, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            clock.Advance(Interval);
            foreach (var worker in workers)
            {
                await worker.HeartbeatAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Moves the fake clock on in 50-ms steps, letting the coordinators' loops run between them, until
    /// <paramref name="condition"/> holds or <paramref name="budget"/> has passed; returns the time it took (the budget
    /// when it never held).
    /// </summary>
    private static async Task<TimeSpan> AdvanceAsync(FakeTimeProvider clock, TimeSpan budget, Func<bool> condition)
    {
        var step = TimeSpan.FromMilliseconds(50);
        var passed = TimeSpan.Zero;
        while (passed < budget && !condition())
        {
            clock.Advance(step);
            passed += step;
            await Task.Delay(3);
        }

        return passed;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
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
        public Task<IReadOnlyList<QuotaShareMember>> HeartbeatAsync(string pool, QuotaShareMember self, CancellationToken cancellationToken)
            => throw new InvalidOperationException("storage is down");

        public Task UpdateAsync(string pool, QuotaShareMember self, CancellationToken cancellationToken)
            => throw new InvalidOperationException("storage is down");

        public Task LeaveAsync(string pool, string member, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
