using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WildLong.Llm.Quota;

/// <summary>
/// Keeps this process's <see cref="QuotaLimiter"/> at its part of a deployment that several worker processes call
/// (CLI, <c>wildlong worker</c>s, Functions instances). Every <see cref="Interval"/> it writes a row into the
/// deployment's pool — heartbeat, <see cref="QuotaShareMember.Claim"/> (the most of the window its charges can fill),
/// demand, and the share its oldest long call needs — reads the others' rows and sets its share:
/// <list type="bullet">
/// <item><b>Targets.</b> Every member computes the same targets from the rows: the window is split by demand (max-min
/// fair; room nobody asks for is spread evenly) and rounded to whole calls (<see cref="RoundToCalls"/>). A call that
/// split cannot hold (a long one, larger than a fair part of the window — TPM/6/n — or one larger than its member's
/// rounded share) gets a <b>turn</b>: the member whose such call has waited longest is given the share that call
/// needs and the others split the rest, so long calls pass one after another at the pool's full window instead of
/// each waiting for an empty window of its own worker (which left the pool half idle and overshot it when they
/// went).</item>
/// <item><b>Shrinking</b> to a lower target happens at once, and the smaller claim is written right after (see <see cref="PublishSmallerClaimAsync"/>).</item>
/// <item><b>Growing</b> only into room nobody claims: 1 − Σ claims, split among the members that want more in
/// proportion to what they want, and published (a second write) before it is used. A member's claim stays above its
/// share while its window still holds charges taken under a larger one, so a share is only used once the charges it
/// displaces have left the server's window. Members that grow in the same interval together take at most the room
/// they all saw.</item>
/// <item><b>Joining</b>: a worker's first heartbeat claims and sets <see cref="SettlingShare"/>, alone or not, and it
/// grows by the same rule from the next one on (one interval at 1 % when alone), so the pool never asks more than the
/// quota while the others still have a window full of their former shares, and workers that start together do not
/// each find themselves alone and take the whole quota.</item>
/// <item><b>Timing</b> (<see cref="RunAsync"/>): a heartbeat every <see cref="Interval"/>; at once when a call starts
/// waiting in a limiter where none waited, and every <see cref="QuickInterval"/> while <see cref="Converging"/>.</item>
/// <item><b>Dying.</b> A member whose heartbeat is older than <see cref="Expiry"/> (three intervals, and never less
/// than a token window and an interval, so its last charges have left the server's window) no longer counts and its
/// row is removed; one that stops cleanly leaves at once.</item>
/// </list>
/// The fast path stays in process: only the limiter's budgets change. When the store cannot be reached, the last
/// share is kept. (A member that reads the pool just before another publishes a larger claim may grow into the same
/// room for one interval — a window of milliseconds per growth; the server's 429 and retry-after cover that edge.)
/// </summary>
public sealed class QuotaShareCoordinator
{
    private readonly QuotaLimiter limiter;
    private readonly IQuotaShareStore store;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private bool joined;

    // This worker's part of the pool's split by demand, rounded to whole calls, at the last heartbeat (1 before).
    private double roundedSplit = 1;

    public QuotaShareCoordinator(QuotaLimiter limiter, IQuotaShareStore store, string pool, TimeSpan interval, TimeProvider? time = null, ILogger? logger = null, string? member = null)
    {
        this.limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentException.ThrowIfNullOrWhiteSpace(pool);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Pool = pool;
        Interval = interval;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        Member = member ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var window = limiter.Settings.TokenWindow + limiter.Settings.WindowMargin;
        Expiry = Interval * 3 > window + Interval ? Interval * 3 : window + Interval;
    }

    /// <summary>The pool: one per deployment (see <see cref="PoolFor"/>).</summary>
    public string Pool { get; }

    public string Member { get; }

    /// <summary>The limiter whose share this coordinator sets.</summary>
    public QuotaLimiter Limiter => limiter;

    public TimeSpan Interval { get; }

    /// <summary>The share of a worker that joins a pool others already use, and the least share any member keeps.</summary>
    public const double SettlingShare = 0.01;

    /// <summary>
    /// A member not heard from for this long is dead: three intervals, and at least a token window (with its margin)
    /// plus an interval, so what it charged before it died has left the server's window when others take its part.
    /// </summary>
    public TimeSpan Expiry { get; }

    /// <summary>Live members at the last heartbeat (0 before the first).</summary>
    public int LiveMembers { get; private set; }

    /// <summary>
    /// Whether room was moving between members at the last heartbeat with this worker taking part — it waits for room
    /// (its target is above its share and calls wait), or its window holds charges above its share that another
    /// member waits for: <see cref="RunAsync"/> makes the next heartbeat after <see cref="QuickInterval"/>, so the
    /// room changes hands as the charges leave the window rather than up to an interval later.
    /// </summary>
    public bool Converging { get; private set; }

    /// <summary>The gap between heartbeats while <see cref="Converging"/>, and the least gap between any two: a quarter interval.</summary>
    public TimeSpan QuickInterval => Interval / 4;

    /// <summary>Whether this worker held the pool's turn for a long call at the last heartbeat.</summary>
    public bool HoldsTurn { get; private set; }

    /// <summary>
    /// The pool of a deployment: the same name for every process that calls it (provider, endpoint with port and path,
    /// deployment), hashed so it is a valid table key and says nothing about the endpoint.
    /// </summary>
    public static string PoolFor(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = string.Join('|', (options.Provider ?? string.Empty).Trim().ToLowerInvariant(), ModelIdentity.NormalizeEndpoint(options.Endpoint), options.Deployment ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>One heartbeat: writes this member's row, reads the pool and sets the limiter's share. Returns the share.</summary>
    public async Task<double> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var share = limiter.Share;
        var fairPart = LiveMembers > 1 ? 1.0 / LiveMembers : 1.0;
        var fairTokens = (long)Math.Floor(limiter.Settings.TokenWindowBudget * fairPart);

        // A call needs a turn when it is larger than a fair part or than this worker's rounded split (not its current
        // share, which another member's turn or growing may have made smaller for a while).
        var demand = limiter.Demand(Math.Min(fairTokens, (long)Math.Floor(limiter.Settings.TokenWindowBudget * roundedSplit)), fairTokens);
        var budget = (double)demand.WindowBudget;

        // Before its first heartbeat a worker claims no more than a token share: it starts there, whoever else is in the pool.
        var claimed = joined ? share : SettlingShare;
        var self = new QuotaShareMember(Member, now)
        {
            Claim = ClaimFor(claimed, demand.InWindow, budget),
            Demand = Math.Clamp((demand.InWindow + demand.Queued) / budget, SettlingShare, 1),
            // The long call goes as soon as the share holds it beside what this worker's window still holds; one
            // token more so the share's budget, rounded down, is never a token short of it.
            Need = demand.Oversized > 0 ? Math.Min(1, (demand.Oversized + demand.InWindow + 1) / budget) : 0,
            NeedSince = demand.Oversized > 0 ? demand.OversizedSince : null,
            Unit = demand.TypicalCall > 0 ? Math.Min(1, demand.TypicalCall / budget) : null,
            Next = demand.NextCall > 0 ? Math.Min(1, demand.NextCall / budget) : null,
        };

        IReadOnlyList<QuotaShareMember> members;
        try
        {
            members = await store.HeartbeatAsync(Pool, self, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Quota pool heartbeat failed; keeping the share of {Share:P0}", share);
            return share;
        }

        var live = members.Where(m => m.Member != Member && now - m.LastSeen < Expiry).Append(self).ToList();
        foreach (var dead in members.Where(m => m.Member != Member && now - m.LastSeen >= Expiry))
        {
            // A dead worker's row would stay forever (every process start is a new member): remove it, best effort.
            await RemoveAsync(dead.Member).ConfigureAwait(false);
        }

        var next = share;
        if (!joined)
        {
            // The first heartbeat: a token share, alone or not, grown from the next one on by the rule for growing.
            // (Taking the whole quota when alone let workers that start together each find themselves alone.)
            joined = true;
            next = SettlingShare;
        }
        else
        {
            var targets = Targets(live, out var turn, out var split);
            roundedSplit = split[Member];
            HoldsTurn = turn == Member;
            var target = targets[Member];
            var claims = live.ToDictionary(m => m.Member, m => m.Claim ?? 1.0 / live.Count, StringComparer.Ordinal);
            if (target <= share)
            {
                next = target;
            }
            else
            {
                var room = Math.Max(0, 1 - claims.Values.Sum());
                var wanting = live.Sum(m => Math.Max(0, targets[m.Member] - claims[m.Member]));
                var own = Math.Max(0, target - claims[Member]);
                var grant = wanting > 0 ? room * own / wanting : 0;
                next = Math.Max(share, Math.Min(target, claims[Member] + grant));
                if (next > claims[Member])
                {
                    // Published before it is used: a member that reads the pool from now on leaves it alone.
                    try
                    {
                        await store.UpdateAsync(Pool, self with { Claim = next }, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        logger.LogWarning(ex, "Publishing a larger quota claim failed; keeping the share of {Share:P0}", share);
                        next = Math.Max(share, Math.Min(next, claims[Member]));
                    }
                }
            }

            // Room is moving between members and this one takes part: it waits for room, or its window holds charges
            // above its share that a member waiting for room gets as they leave (once this claim is written again).
            var othersWant = live.Any(m => m.Member != Member && targets[m.Member] > claims[m.Member] + SettlingShare);
            Converging = (target > next + SettlingShare && demand.Queued > 0)
                || (othersWant && demand.InWindow / budget > next + SettlingShare);
        }

        if (live.Count != LiveMembers && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("{Live} worker(s) share the deployment's quota: this one uses {Share:P0} of its TPM and RPM", live.Count, next);
        }

        LiveMembers = live.Count;
        next = Math.Clamp(next, SettlingShare, 1);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug(
                "Quota pool heartbeat: {Live} live, share {Before:P1} -> {Share:P1} (rounded split {Split:P1}, turn {Turn}, converging {Converging}); in window {InWindow}, queued {Queued}, oversized {Oversized}, typical call {Typical}, next call {Next} of {Budget} tokens",
                live.Count, share, next, roundedSplit, HoldsTurn, Converging, demand.InWindow, demand.Queued, demand.Oversized, demand.TypicalCall, demand.NextCall, demand.WindowBudget);
        }

        limiter.SetShare(next);
        await PublishSmallerClaimAsync(self, budget, cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>A claim: the larger of a share and what the window still holds (charges leave only with it).</summary>
    private static double ClaimFor(double share, long inWindow, double budget) => Math.Min(1, Math.Max(share, inWindow / budget));

    /// <summary>
    /// After shrinking: the row written at the start of this heartbeat still claims the larger share, and would until
    /// the next heartbeat; the claim the limiter now bounds (its new share, or what its window still holds) is
    /// written at once, so the members waiting for that room see it an interval sooner. Written after the limiter
    /// took the smaller share, so this worker's use never exceeds a claim it has published. Only when the claim
    /// drops by more than <see cref="SettlingShare"/> (the small moves of every heartbeat cost no write).
    /// </summary>
    private async Task PublishSmallerClaimAsync(QuotaShareMember self, double budget, CancellationToken cancellationToken)
    {
        var claim = ClaimFor(limiter.Share, limiter.Snapshot().TokensInWindow, budget);
        if (self.Claim is not { } published || claim >= published - SettlingShare)
        {
            return;
        }

        try
        {
            await store.UpdateAsync(Pool, self with { Claim = claim }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The larger claim stays published: others wait an interval longer, nothing is overused.
            logger.LogWarning(ex, "Publishing a smaller quota claim failed; the pool sees the larger one until the next heartbeat");
        }
    }

    /// <summary>
    /// The share every live member should have, the same for every member that reads the same rows: split by demand
    /// and rounded to whole calls — unless a member's waiting call needs more than that split gives it, when the one
    /// that has waited longest gets its turn (the share it needs) and the others split the rest. <paramref name="split"/>
    /// is the rounded split without a turn (what each member asks a turn against).
    /// </summary>
    internal static Dictionary<string, double> Targets(IReadOnlyList<QuotaShareMember> live, out string? turn, out Dictionary<string, double> split)
    {
        var rounded = Split(live, 1.0);
        RoundToCalls(rounded, live);
        split = rounded;
        var holder = live.Where(m => m.NeedSince is not null && m.Need > rounded[m.Member] + 1e-9)
            .OrderBy(m => m.NeedSince).ThenBy(m => m.Member, StringComparer.Ordinal).FirstOrDefault();
        turn = holder?.Member;
        if (holder is null)
        {
            return rounded;
        }

        var given = Math.Min(holder.Need, 1 - (SettlingShare * (live.Count - 1)));
        var targets = Split([.. live.Where(m => m != holder)], 1 - given);
        targets[holder.Member] = given;
        return targets;
    }

    /// <summary>Max-min fair by demand, no member below <see cref="SettlingShare"/>; what nobody asks for is spread evenly.</summary>
    private static Dictionary<string, double> Split(IReadOnlyList<QuotaShareMember> members, double capacity)
    {
        var targets = new Dictionary<string, double>(StringComparer.Ordinal);
        var remaining = capacity;
        var left = members.Count;
        foreach (var member in members.OrderBy(m => m.Demand).ThenBy(m => m.Member, StringComparer.Ordinal))
        {
            var give = Math.Max(SettlingShare, Math.Min(member.Demand, remaining / left));
            targets[member.Member] = give;
            remaining -= give;
            left--;
        }

        if (remaining > 1e-9 && members.Count > 0)
        {
            foreach (var member in members)
            {
                targets[member.Member] += remaining / members.Count;
            }
        }

        return targets;
    }

    /// <summary>
    /// Rounds the targets to whole calls, each member's of its own size (its <see cref="QuotaShareMember.Unit"/>;
    /// a member that has made no call yet counts in the pool's largest): a share a call and a half wide admits one call
    /// per window, so an even split of a window that holds seven calls among three members passes six. Every member
    /// with at least one call keeps its whole calls; the room left over goes one call each to the members that want
    /// more than they got (largest remainder first, then by member id, so the same member keeps an extra call from one
    /// heartbeat to the next and no window drains to hand it over — first the members whose claim shows they hold
    /// one now), to each only if its call still fits; of the rest, a member whose next call is larger than its unit gets
    /// the difference (so that call fits beside its others), and what remains is split evenly. Members below a call
    /// keep their target (they ask for less than a call); nothing changes when no member has a unit yet or none is
    /// given a whole call.
    /// </summary>
    /// <remarks>Each member's own call size, not the pool's largest: with calls of 7,148, 7,122 and 6,345 tokens in a
    /// 49,500-token window, the largest rounded every member to two calls (six a window) though the smallest caller's
    /// third call fitted beside the others' two (seven); measured at the start of a 3-worker run.</remarks>
    internal static void RoundToCalls(Dictionary<string, double> targets, IReadOnlyList<QuotaShareMember> live)
    {
        var largest = live.Max(m => m.Unit ?? 0);
        if (largest <= 0)
        {
            return;
        }

        var unitOf = live.ToDictionary(m => m.Member, m => m.Unit is > 0 and var own ? own : largest, StringComparer.Ordinal);
        var whole = live.Where(m => targets[m.Member] >= unitOf[m.Member]).ToList();
        if (whole.Count == 0)
        {
            return;
        }

        var capacity = whole.Sum(m => targets[m.Member]);
        var calls = whole.ToDictionary(m => m.Member, m => (int)Math.Floor((targets[m.Member] / unitOf[m.Member]) + 1e-9), StringComparer.Ordinal);
        var room = capacity - whole.Sum(m => calls[m.Member] * unitOf[m.Member]);
        // The member whose claim shows it holds an extra call now keeps it (with each its own unit, remainders reorder
        // as typical calls drift, and every hand-over idles a call's width until the giver's window drains).
        var order = whole
            .OrderByDescending(m => m.Demand > targets[m.Member] + 1e-9)
            .ThenByDescending(m => m.Claim >= ((calls[m.Member] + 1) * unitOf[m.Member]) - 1e-9)
            .ThenByDescending(m => Math.Round((targets[m.Member] / unitOf[m.Member]) - calls[m.Member], 2))
            .ThenBy(m => m.Member, StringComparer.Ordinal);
        foreach (var member in order)
        {
            if (unitOf[member.Member] <= room + 1e-9)
            {
                calls[member.Member]++;
                room -= unitOf[member.Member];
            }
        }

        // What whole calls leave goes first to the members whose next call is larger than their unit (by member id),
        // each the difference, so that call fits beside the others instead of waiting a window for one to leave.
        var extra = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var member in whole.OrderBy(m => m.Member, StringComparer.Ordinal))
        {
            var give = Math.Min(Math.Max(0, (member.Next ?? 0) - unitOf[member.Member]), Math.Max(0, room));
            extra[member.Member] = give;
            room -= give;
        }

        var slack = Math.Max(0, room) / whole.Count;
        foreach (var member in whole)
        {
            targets[member.Member] = (calls[member.Member] * unitOf[member.Member]) + extra[member.Member] + slack;
        }
    }

    /// <summary>
    /// After the first <see cref="HeartbeatAsync"/> (which the caller makes before starting work, so it never starts at
    /// the whole quota while others run): one heartbeat every <see cref="Interval"/> — every
    /// <see cref="QuickInterval"/> while <see cref="Converging"/>, and one as soon as a call starts waiting in a limiter
    /// where none waited (<see cref="QuotaLimiter.CallsStartedWaiting"/>; never sooner than a quick interval after the
    /// last) — until <paramref name="cancellationToken"/> fires, then leaves the pool.
    /// </summary>
    /// <remarks>Measured at the start of 3-worker runs (2-s interval): the first worker with work held its third of the
    /// window for 4 s — its demand reached the pool at its next heartbeat, the idle workers shrank at theirs, it grew at
    /// the one after — while the two thirds stood empty.</remarks>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var last = time.GetUtcNow();
            while (true)
            {
                var callsWaiting = limiter.CallsStartedWaiting;
                using (var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var due = Task.Delay(Converging ? QuickInterval : Interval, time, wake.Token);
                    if (await Task.WhenAny(due, callsWaiting).ConfigureAwait(false) == callsWaiting)
                    {
                        var since = time.GetUtcNow() - last;
                        if (since < QuickInterval)
                        {
                            await Task.Delay(QuickInterval - since, time, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    await wake.CancelAsync().ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
                last = time.GetUtcNow();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await LeaveAsync().ConfigureAwait(false);
    }

    /// <summary>Leaves the pool (best effort, a few seconds at most): the others take this worker's part at their next heartbeat.</summary>
    public Task LeaveAsync() => RemoveAsync(Member);

    private async Task RemoveAsync(string member)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await store.LeaveAsync(Pool, member, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Removing {Member} from the quota pool failed; it is counted until its heartbeat expires", member);
        }
    }
}
