using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace WildLong.Core.Model;

/// <summary>
/// Thread-safe token and call counts per pipeline stage. <see cref="LlmCaller"/> records every logical call here;
/// the client pipeline beneath it (cache, limiter, retries) records cache hits, retries and throttling against the
/// same stage, so a run can report what each stage consumed and cost.
/// </summary>
public sealed class UsageLedger
{
    /// <summary>The ledger of the unit of work running on this async flow (see <see cref="BeginScope"/>).</summary>
    private static readonly AsyncLocal<UsageLedger?> Scoped = new();

    private readonly ConcurrentDictionary<string, StageCounters> stages = new(StringComparer.Ordinal);
    private readonly ModelMetrics? metrics;

    /// <param name="metrics">Meters to record into as well: give them to the process's ledger only (the one the
    /// client pipeline writes to), not to the scope ledgers that copy its records.</param>
    public UsageLedger(ModelMetrics? metrics = null) => this.metrics = metrics;

    /// <summary>
    /// Also records everything this ledger records on the current async flow into <paramref name="scope"/>, until the
    /// returned handle is disposed. Activities of the durable pipeline run concurrently in one process and share the
    /// process-wide ledger; a scope gives each one exactly its own usage to report.
    /// </summary>
    public static IDisposable BeginScope(UsageLedger scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var previous = Scoped.Value;
        Scoped.Value = scope;
        return new ScopeHandle(previous);
    }

    /// <summary>Records one completed (or failed) logical call and the tokens it was billed.</summary>
    public void Record(string stage, UsageDetails? usage, bool failed = false)
    {
        ForwardToScope()?.Record(stage, usage, failed);
        metrics?.RecordCall(stage, usage, failed);
        var counters = For(stage);
        Interlocked.Increment(ref counters.Calls);
        if (failed)
        {
            Interlocked.Increment(ref counters.FailedCalls);
        }

        if (usage is null)
        {
            return;
        }

        Interlocked.Add(ref counters.InputTokens, usage.InputTokenCount ?? 0);
        Interlocked.Add(ref counters.CachedInputTokens, usage.CachedInputTokenCount ?? 0);
        Interlocked.Add(ref counters.OutputTokens, usage.OutputTokenCount ?? 0);
    }

    /// <summary>Records a request answered from the response cache (nothing billed).</summary>
    public void RecordCacheHit(string stage)
    {
        ForwardToScope()?.RecordCacheHit(stage);
        metrics?.RecordCacheHit(stage);
        Interlocked.Increment(ref For(stage).CacheHits);
    }

    /// <summary>Records a transport retry (after a 408/429/5xx, a timeout or a network error).</summary>
    public void RecordRetry(string stage)
    {
        ForwardToScope()?.RecordRetry(stage);
        metrics?.RecordRetry(stage);
        Interlocked.Increment(ref For(stage).Retries);
    }

    /// <summary>Records a 429 answer from the model endpoint.</summary>
    public void RecordThrottled(string stage)
    {
        ForwardToScope()?.RecordThrottled(stage);
        metrics?.RecordThrottled(stage);
        Interlocked.Increment(ref For(stage).Throttled);
    }

    public IReadOnlyDictionary<string, StageUsage> Snapshot()
        => stages.ToDictionary(kv => kv.Key, kv => kv.Value.ToUsage(), StringComparer.Ordinal);

    public StageUsage Total()
        => Snapshot().Values.Aggregate(StageUsage.Zero, (a, b) => a + b);

    /// <summary>The scope to copy a record into: the flow's scope ledger, unless that is this ledger itself.</summary>
    private UsageLedger? ForwardToScope()
    {
        var scope = Scoped.Value;
        return scope is null || ReferenceEquals(scope, this) ? null : scope;
    }

    private StageCounters For(string stage)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        return stages.GetOrAdd(stage, _ => new StageCounters());
    }

    private sealed class ScopeHandle(UsageLedger? previous) : IDisposable
    {
        public void Dispose() => Scoped.Value = previous;
    }

    private sealed class StageCounters
    {
        public long Calls;
        public long FailedCalls;
        public long InputTokens;
        public long CachedInputTokens;
        public long OutputTokens;
        public long CacheHits;
        public long Retries;
        public long Throttled;

        public StageUsage ToUsage() => new(
            Interlocked.Read(ref Calls),
            Interlocked.Read(ref FailedCalls),
            Interlocked.Read(ref InputTokens),
            Interlocked.Read(ref CachedInputTokens),
            Interlocked.Read(ref OutputTokens),
            Interlocked.Read(ref CacheHits),
            Interlocked.Read(ref Retries),
            Interlocked.Read(ref Throttled));
    }
}

/// <summary>Token and call totals for one stage (or a whole run).</summary>
public sealed record StageUsage(
    long Calls,
    long FailedCalls,
    long InputTokens,
    long CachedInputTokens,
    long OutputTokens,
    long CacheHits = 0,
    long Retries = 0,
    long Throttled = 0)
{
    public static StageUsage Zero { get; } = new(0, 0, 0, 0, 0);

    public static StageUsage operator +(StageUsage a, StageUsage b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Calls + b.Calls, a.FailedCalls + b.FailedCalls, a.InputTokens + b.InputTokens,
            a.CachedInputTokens + b.CachedInputTokens, a.OutputTokens + b.OutputTokens,
            a.CacheHits + b.CacheHits, a.Retries + b.Retries, a.Throttled + b.Throttled);
    }

    public static StageUsage Add(StageUsage a, StageUsage b) => a + b;
}
