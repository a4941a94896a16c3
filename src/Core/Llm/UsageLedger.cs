using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace WildLong.Core.Llm;

/// <summary>
/// Thread-safe token and call counts per pipeline stage. Every model call made through <see cref="LlmCaller"/> is
/// recorded here, so a run can report what each stage consumed.
/// </summary>
public sealed class UsageLedger
{
    private readonly ConcurrentDictionary<string, StageCounters> stages = new(StringComparer.Ordinal);

    public void Record(string stage, UsageDetails? usage, bool failed = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        var counters = stages.GetOrAdd(stage, _ => new StageCounters());
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

    public IReadOnlyDictionary<string, StageUsage> Snapshot()
        => stages.ToDictionary(
            kv => kv.Key,
            kv => new StageUsage(
                Interlocked.Read(ref kv.Value.Calls),
                Interlocked.Read(ref kv.Value.FailedCalls),
                Interlocked.Read(ref kv.Value.InputTokens),
                Interlocked.Read(ref kv.Value.CachedInputTokens),
                Interlocked.Read(ref kv.Value.OutputTokens)),
            StringComparer.Ordinal);

    public StageUsage Total()
        => Snapshot().Values.Aggregate(StageUsage.Zero, (a, b) => a + b);

    private sealed class StageCounters
    {
        public long Calls;
        public long FailedCalls;
        public long InputTokens;
        public long CachedInputTokens;
        public long OutputTokens;
    }
}

/// <summary>Token and call totals for one stage (or a whole run).</summary>
public sealed record StageUsage(long Calls, long FailedCalls, long InputTokens, long CachedInputTokens, long OutputTokens)
{
    public static StageUsage Zero { get; } = new(0, 0, 0, 0, 0);

    public static StageUsage operator +(StageUsage a, StageUsage b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Calls + b.Calls, a.FailedCalls + b.FailedCalls, a.InputTokens + b.InputTokens,
            a.CachedInputTokens + b.CachedInputTokens, a.OutputTokens + b.OutputTokens);
    }

    public static StageUsage Add(StageUsage a, StageUsage b) => a + b;
}
