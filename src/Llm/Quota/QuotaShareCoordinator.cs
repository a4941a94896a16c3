using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WildLong.Llm.Quota;

/// <summary>
/// Keeps this process's <see cref="QuotaLimiter"/> at its fair share of a deployment that several worker processes
/// call (CLI, <c>wildlong worker</c>s, Functions instances): every <see cref="Interval"/> it writes a heartbeat into
/// the deployment's pool and sets the share to 1 / the number of live members. A member whose heartbeat is older than
/// <see cref="Expiry"/> is dead (killed, partitioned) and no longer counted, so the others take its part back; one
/// that stops cleanly leaves at once, and a dead one's row is removed by the next live member that sees it. The fast path stays in process: only the limiter's budgets change.
/// A worker that joins a pool others already use waits one interval at <see cref="SettlingShare"/> before taking its
/// 1/n, so the others have shrunk to 1/n by then and the pool never asks more than the quota. (Two workers that start
/// at the same instant may each find themselves alone and take the whole quota for one interval; the server's 429
/// and retry-after cover that edge.) When the store cannot be reached, the last share is kept.
/// </summary>
public sealed class QuotaShareCoordinator
{
    private readonly QuotaLimiter limiter;
    private readonly IQuotaShareStore store;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private DateTimeOffset? joinedAt;
    private bool joinedOthers;

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
    }

    /// <summary>The pool: one per deployment (see <see cref="PoolFor"/>).</summary>
    public string Pool { get; }

    public string Member { get; }

    /// <summary>The limiter whose share this coordinator sets.</summary>
    public QuotaLimiter Limiter => limiter;

    public TimeSpan Interval { get; }

    /// <summary>The share of a worker during its first interval in a pool that others already use.</summary>
    public const double SettlingShare = 0.01;

    /// <summary>A member not heard from for three intervals is dead.</summary>
    public TimeSpan Expiry => Interval * 3;

    /// <summary>Live members at the last heartbeat (0 before the first).</summary>
    public int LiveMembers { get; private set; }

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

    /// <summary>One heartbeat: writes this member's row, counts the live ones and sets the limiter's share. Returns the share.</summary>
    public async Task<double> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<QuotaShareMember> members;
        try
        {
            members = await store.HeartbeatAsync(Pool, Member, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Quota pool heartbeat failed; keeping the share of {Share:P0}", limiter.Share);
            return limiter.Share;
        }

        var live = Math.Max(1, members.Count(m => m.Member == Member || now - m.LastSeen < Expiry));
        if (joinedAt is null)
        {
            joinedAt = now;
            joinedOthers = live > 1;
        }

        foreach (var dead in members.Where(m => m.Member != Member && now - m.LastSeen >= Expiry))
        {
            // A dead worker's row would stay forever (every process start is a new member): remove it, best effort.
            await RemoveAsync(dead.Member).ConfigureAwait(false);
        }

        // A worker that joins others waits one interval at a token share, until every other member has seen it and
        // shrunk to 1/n: taking 1/n at once would ask up to 1/n more than the quota until their next heartbeats.
        var settling = joinedOthers && live > 1 && now - joinedAt.Value < Interval;
        var share = settling ? SettlingShare : 1.0 / live;
        if (live != LiveMembers && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("{Live} worker(s) share the deployment's quota: this one uses {Share:P0} of its TPM and RPM", live, share);
        }

        LiveMembers = live;
        limiter.SetShare(share);
        return share;
    }

    /// <summary>
    /// After the first <see cref="HeartbeatAsync"/> (which the caller makes before starting work, so it never starts at
    /// the whole quota while others run): one heartbeat every <see cref="Interval"/> until
    /// <paramref name="cancellationToken"/> fires, then leaves the pool.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
                await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
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
